import { sql } from "drizzle-orm";
import {
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
import { agents } from "./agents.js";
import { users } from "./auth.js";
import { instant, stamps } from "./columns.js";
import { connections } from "./connections.js";
import { policies } from "./policies.js";
import { workspaceIdColumn } from "./tenancy.js";

export const permissionRequestStatus = pgEnum("permission_request_status", [
  "pending",
  "approved",
  "denied",
  "expired",
  "withdrawn",
]);

/** An agent asks a human for a capability it lacks (DATA-MODEL.md §2.6). */
export const agentPermissionRequests = pgTable(
  "t_agent_permission_requests",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    agentId: uuid("agent_id").notNull(),
    connectionId: uuid("connection_id").references(() => connections.id, { onDelete: "set null" }),
    provider: text("provider").notNull(),
    service: text("service").notNull(),
    requested: jsonb("requested").$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    status: permissionRequestStatus("status").notNull().default("pending"),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: instant("decided_at"),
    comment: text("comment"),
    resultingPolicyId: uuid("resulting_policy_id").references(() => policies.id, { onDelete: "set null" }),
    expiresAt: instant("expires_at").notNull(),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_agent_permission_requests__workspace_id__id").on(t.workspaceId, t.id),
    index("ix_t_agent_permission_requests__workspace_id__status__created_at").on(
      t.workspaceId,
      t.status,
      t.createdAt.desc(),
    ),
    uniqueIndex("uq_t_agent_permission_requests__open")
      .on(t.workspaceId, t.agentId, t.service, sql`md5(${t.requested}::text)`)
      .where(sql`${t.status} = 'pending'`),
    foreignKey({
      name: "fk_t_agent_permission_requests__agent_id",
      columns: [t.workspaceId, t.agentId],
      foreignColumns: [agents.workspaceId, agents.id],
    }).onDelete("cascade"),
  ],
);
