import { sql } from "drizzle-orm";
import { bigint, boolean, index, pgTable, text, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instant, stamps } from "./columns.js";
import { workspaces } from "./tenancy.js";

// Better Auth's tables (DATA-MODEL.md §2.1). The property names are the field names Better Auth
// expects; the SQL names follow our conventions. The Better Auth instance lives in apps/api (ADR-0001).

export const users = pgTable(
  "t_users",
  {
    id: uuid("id").primaryKey(),
    email: text("email").notNull(),
    emailVerified: boolean("email_verified").notNull().default(false),
    name: text("name").notNull(),
    image: text("image"),
    disabledAt: instant("disabled_at"),
    ...stamps(),
  },
  (t) => [uniqueIndex("uq_t_users__lower_email").on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  "t_sessions",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    token: text("token").notNull().unique("uq_t_sessions__token"),
    expiresAt: instant("expires_at").notNull(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    activeWorkspaceId: uuid("active_workspace_id").references(() => workspaces.id, { onDelete: "set null" }),
    revokedAt: instant("revoked_at"),
    ...stamps(),
  },
  (t) => [index("ix_t_sessions__user_id").on(t.userId), index("ix_t_sessions__expires_at").on(t.expiresAt)],
);

export const accounts = pgTable(
  "t_accounts",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    providerId: text("provider_id").notNull(),
    accountId: text("account_id").notNull(),
    password: text("password"),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: instant("access_token_expires_at"),
    refreshTokenExpiresAt: instant("refresh_token_expires_at"),
    scope: text("scope"),
    ...stamps(),
  },
  (t) => [
    index("ix_t_accounts__user_id").on(t.userId),
    uniqueIndex("uq_t_accounts__provider_id__account_id").on(t.providerId, t.accountId),
  ],
);

export const verifications = pgTable(
  "t_verifications",
  {
    id: uuid("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: instant("expires_at").notNull(),
    ...stamps(),
  },
  (t) => [index("ix_t_verifications__identifier").on(t.identifier)],
);

export const passkeys = pgTable(
  "t_passkeys",
  {
    id: uuid("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name"),
    credentialID: text("credential_id").notNull().unique("uq_t_passkeys__credential_id"),
    publicKey: text("public_key").notNull(),
    counter: bigint("counter", { mode: "number" }).notNull().default(0),
    deviceType: text("device_type").notNull(),
    backedUp: boolean("backed_up").notNull().default(false),
    transports: text("transports"),
    aaguid: text("aaguid"),
    ...stamps(),
  },
  (t) => [index("ix_t_passkeys__user_id").on(t.userId)],
);
