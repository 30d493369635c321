import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, smallint, text, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth.js";
import { bytea, instant, stamps } from "./columns.js";
import { workspaces } from "./tenancy.js";

export const cliLoginStatus = pgEnum("cli_login_status", [
  "pending",
  "approved",
  "denied",
  "consumed",
  "expired",
]);

/**
 * `ah5 login` device-authorization requests (API.md §3.7 "CLI sign-in"). Not in DATA-MODEL.md:
 * see docs/decisions.md. The device code is a bearer secret until consumed, so only its hash is
 * stored; the user code is shown to the person and compared case-insensitively.
 */
export const cliLoginRequests = pgTable(
  "t_cli_login_requests",
  {
    id: uuid("id").primaryKey(),
    deviceCodeHash: bytea("device_code_hash").notNull().unique("uq_t_cli_login_requests__device_code_hash"),
    userCode: text("user_code").notNull(),
    deviceName: text("device_name").notNull(),
    status: cliLoginStatus("status").notNull().default("pending"),
    pollIntervalSeconds: smallint("poll_interval_s").notNull().default(5),
    lastPolledAt: instant("last_polled_at"),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    patId: uuid("pat_id"),
    expiresAt: instant("expires_at").notNull(),
    ...stamps(),
  },
  (t) => [
    index("ix_t_cli_login_requests__user_code__pending").on(t.userCode).where(sql`${t.status} = 'pending'`),
    index("ix_t_cli_login_requests__expires_at").on(t.expiresAt),
  ],
);
