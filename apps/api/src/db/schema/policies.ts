import { sql } from "drizzle-orm";
import {
  boolean,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { agents } from "./agents.js";
import { actorType } from "./audit.js";
import { users } from "./auth.js";
import { bytea, instant, stamps } from "./columns.js";
import { connections } from "./connections.js";
import { workspaceIdColumn } from "./tenancy.js";

/** One policy per (agent, connection); `document` is POLICY.md's schema (DATA-MODEL.md §2.5). */
export const policies = pgTable(
  "t_policies",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    agentId: uuid("agent_id").notNull(),
    connectionId: uuid("connection_id").notNull(),
    version: integer("version").notNull().default(1),
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
    documentSchema: smallint("document_schema").notNull().default(1),
    templateId: text("template_id"),
    enabled: boolean("enabled").notNull().default(true),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    updatedBy: uuid("updated_by").references(() => users.id, { onDelete: "set null" }),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_policies__workspace_id__id").on(t.workspaceId, t.id),
    unique("uq_t_policies__workspace_id__agent_id__connection_id").on(
      t.workspaceId,
      t.agentId,
      t.connectionId,
    ),
    index("ix_t_policies__workspace_id__connection_id").on(t.workspaceId, t.connectionId),
    foreignKey({
      name: "fk_t_policies__agent_id",
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "fk_t_policies__connection_id",
      columns: [t.workspaceId, t.connectionId],
      foreignColumns: [connections.workspaceId, connections.id],
    }).onDelete("cascade"),
  ],
);

export const policyChange = pgEnum("policy_change", ["created", "updated", "enabled", "disabled", "deleted"]);

/** Every saved version, insert-only, written in the same transaction as the policy. */
export const policyVersions = pgTable(
  "l_policy_versions",
  {
    policyId: uuid("policy_id").notNull(),
    version: integer("version").notNull(),
    workspaceId: workspaceIdColumn(),
    agentId: uuid("agent_id").notNull(),
    connectionId: uuid("connection_id").notNull(),
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
    change: policyChange("change").notNull(),
    changedByType: actorType("changed_by_type").notNull(),
    changedBy: uuid("changed_by"),
    createdAt: instant("created_at").notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: "pk_l_policy_versions", columns: [t.policyId, t.version] }),
    index("ix_l_policy_versions__workspace_id__policy_id__version").on(
      t.workspaceId,
      t.policyId,
      t.version.desc(),
    ),
  ],
);

/** Shared rate-limit and daily-budget counters, exact across replicas. */
export const rateCounters = pgTable(
  "t_rate_counters",
  {
    workspaceId: workspaceIdColumn(),
    counterKey: text("counter_key").notNull(),
    windowSeconds: integer("window_seconds").notNull(),
    windowStart: instant("window_start").notNull(),
    count: integer("count").notNull().default(0),
    expiresAt: instant("expires_at").notNull(),
  },
  (t) => [
    primaryKey({
      name: "pk_t_rate_counters",
      columns: [t.workspaceId, t.counterKey, t.windowSeconds, t.windowStart],
    }),
    index("ix_t_rate_counters__expires_at").on(t.expiresAt),
  ],
);

export const executionModel = pgEnum("execution_model", ["A", "B"]);
export const approvalStatus = pgEnum("approval_status", [
  "pending",
  "approved",
  "denied",
  "expired",
  "consumed",
]);
export const decisionChannel = pgEnum("decision_channel", [
  "dashboard",
  "api",
  "slack",
  "telegram",
  "email",
  "webhook",
]);

/** Step-up approvals bound to one exact request; single use (DATA-MODEL.md §2.6). */
export const approvalRequests = pgTable(
  "t_approval_requests",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    agentId: uuid("agent_id").notNull(),
    connectionId: uuid("connection_id").notNull(),
    policyId: uuid("policy_id").notNull(),
    policyVersion: integer("policy_version").notNull(),
    ruleId: text("rule_id"),
    model: executionModel("model").notNull(),
    fingerprint: bytea("fingerprint").notNull(),
    requestSummary: jsonb("request_summary").$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    status: approvalStatus("status").notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: instant("decided_at"),
    decisionChannel: decisionChannel("decision_channel"),
    comment: text("comment"),
    expiresAt: instant("expires_at").notNull(),
    consumedAt: instant("consumed_at"),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_approval_requests__workspace_id__id").on(t.workspaceId, t.id),
    check("ck_t_approval_requests__fingerprint_len", sql`octet_length(${t.fingerprint}) = 32`),
    check(
      "ck_t_approval_requests__decided",
      sql`(${t.status} NOT IN ('approved', 'denied') OR ${t.decidedAt} IS NOT NULL)
        AND (${t.status} <> 'consumed' OR ${t.consumedAt} IS NOT NULL)`,
    ),
    index("ix_t_approval_requests__workspace_id__status__created_at").on(
      t.workspaceId,
      t.status,
      t.createdAt.desc(),
    ),
    index("ix_t_approval_requests__workspace_id__agent_id__created_at").on(
      t.workspaceId,
      t.agentId,
      t.createdAt.desc(),
    ),
    index("ix_t_approval_requests__expires_at__open")
      .on(t.expiresAt)
      .where(sql`${t.status} IN ('pending', 'approved')`),
    foreignKey({
      name: "fk_t_approval_requests__agent_id",
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "fk_t_approval_requests__connection_id",
      columns: [t.workspaceId, t.connectionId],
      foreignColumns: [connections.workspaceId, connections.id],
    }).onDelete("cascade"),
    foreignKey({
      name: "fk_t_approval_requests__policy_id",
      columns: [t.workspaceId, t.policyId],
      foreignColumns: [policies.workspaceId, policies.id],
    }).onDelete("cascade"),
  ],
);
