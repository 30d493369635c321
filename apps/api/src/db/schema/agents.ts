import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth.js";
import { bytea, instant, stamps } from "./columns.js";
import { workspaceIdColumn } from "./tenancy.js";

export const agentStatus = pgEnum("agent_status", ["created", "active", "disabled"]);

/** An agent identity and its registered public key (DATA-MODEL.md §2.4). */
export const agents = pgTable(
  "t_agents",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    iconUrl: text("icon_url"),
    status: agentStatus("status").notNull().default("created"),
    publicJwk: jsonb("public_jwk").$type<Record<string, string>>(),
    keyThumbprint: text("key_thumbprint"),
    enrolledAt: instant("enrolled_at"),
    rekeyedAt: instant("rekeyed_at"),
    lastSeenAt: instant("last_seen_at"),
    disabledAt: instant("disabled_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_agents__workspace_id__id").on(t.workspaceId, t.id),
    uniqueIndex("uq_t_agents__workspace_id__lower_name").on(t.workspaceId, sql`lower(${t.name})`),
    uniqueIndex("uq_t_agents__key_thumbprint").on(t.keyThumbprint).where(sql`${t.keyThumbprint} IS NOT NULL`),
    index("ix_t_agents__workspace_id__status").on(t.workspaceId, t.status),
  ],
);

/** Composite FK (workspace_id, agent_id) → t_agents: a cross-workspace reference cannot exist. */
const agentFk = (name: string, t: { workspaceId: AnyPgColumn; agentId: AnyPgColumn }) =>
  foreignKey({
    name,
    columns: [t.workspaceId, t.agentId],
    foreignColumns: [agents.workspaceId, agents.id],
  }).onDelete("cascade");

/** One-time `ah5b_` secrets that let an agent register its key. */
export const agentBootstrapSecrets = pgTable(
  "t_agent_bootstrap_secrets",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    agentId: uuid("agent_id").notNull(),
    secretHash: bytea("secret_hash").notNull().unique("uq_t_agent_bootstrap_secrets__secret_hash"),
    prefix: text("prefix").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    revokedAt: instant("revoked_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    ...stamps(),
  },
  (t) => [
    agentFk("fk_t_agent_bootstrap_secrets__agent_id", t),
    uniqueIndex("uq_t_agent_bootstrap_secrets__live")
      .on(t.workspaceId, t.agentId)
      .where(sql`${t.usedAt} IS NULL AND ${t.revokedAt} IS NULL`),
  ],
);

/** Opaque `ah5t_` bearer tokens issued by POST /v1/agents/token; only the hash is stored. */
export const agentAccessTokens = pgTable(
  "t_agent_access_tokens",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    agentId: uuid("agent_id").notNull(),
    tokenHash: bytea("token_hash").notNull().unique("uq_t_agent_access_tokens__token_hash"),
    prefix: text("prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: instant("expires_at").notNull(),
    revokedAt: instant("revoked_at"),
    ...stamps(),
  },
  (t) => [
    agentFk("fk_t_agent_access_tokens__agent_id", t),
    index("ix_t_agent_access_tokens__workspace_id__agent_id").on(t.workspaceId, t.agentId),
    // The "at most 10 live tokens" sweep at issue time only ever reads live rows.
    index("ix_t_agent_access_tokens__workspace_id__agent_id__id__live")
      .on(t.workspaceId, t.agentId, t.id)
      .where(sql`${t.revokedAt} IS NULL`),
    index("ix_t_agent_access_tokens__expires_at__live").on(t.expiresAt).where(sql`${t.revokedAt} IS NULL`),
  ],
);

/** Single-use client-assertion `jti`s: the primary key makes replay fail on every replica. */
export const jtiReplayCache = pgTable(
  "l_jti_replay_cache",
  {
    jti: text("jti").primaryKey(),
    agentId: uuid("agent_id")
      .notNull()
      .references(() => agents.id, { onDelete: "cascade" }),
    expiresAt: instant("expires_at").notNull(),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [index("ix_l_jti_replay_cache__expires_at").on(t.expiresAt)],
);

/** `ah5p_` tokens for scripts and the CLI, bound to one user in one workspace. */
export const personalAccessTokens = pgTable(
  "t_personal_access_tokens",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    tokenHash: bytea("token_hash").notNull().unique("uq_t_personal_access_tokens__token_hash"),
    prefix: text("prefix").notNull(),
    scopes: text("scopes").array().notNull(),
    expiresAt: instant("expires_at").notNull(),
    revokedAt: instant("revoked_at"),
    lastUsedAt: instant("last_used_at"),
    ...stamps(),
  },
  (t) => [
    index("ix_t_personal_access_tokens__workspace_id__user_id").on(t.workspaceId, t.userId),
    index("ix_t_personal_access_tokens__expires_at__live").on(t.expiresAt).where(sql`${t.revokedAt} IS NULL`),
  ],
);
