import { WORKSPACE_ROLES } from "@agenthifive/contracts";
import { sql } from "drizzle-orm";
import { index, jsonb, pgEnum, pgTable, text, unique, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./auth.js";
import { bytea, instant, stamps } from "./columns.js";

/** SHA-256 digests of bearer secrets are stored as raw bytes. */

/** The owning workspace of a workspace-owned row; deleting the workspace deletes the row. */
export const workspaceIdColumn = () =>
  uuid("workspace_id")
    .notNull()
    .references(() => workspaces.id, { onDelete: "cascade" });

export const workspaceRole = pgEnum("workspace_role", WORKSPACE_ROLES);

export const workspaces = pgTable("t_workspaces", {
  id: uuid("id").primaryKey(),
  name: text("name").notNull(),
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  deletionScheduledAt: instant("deletion_scheduled_at"),
  ...stamps(),
});

export const workspaceMembers = pgTable(
  "t_workspace_members",
  {
    id: uuid("id").primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: workspaceRole("role").notNull().default("member"),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_workspace_members__workspace_id__user_id").on(t.workspaceId, t.userId),
    index("ix_t_workspace_members__user_id").on(t.userId),
  ],
);

export const workspaceInvitations = pgTable(
  "t_workspace_invitations",
  {
    id: uuid("id").primaryKey(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    email: text("email").notNull(),
    role: workspaceRole("role").notNull(),
    tokenHash: bytea("token_hash").notNull().unique("uq_t_workspace_invitations__token_hash"),
    prefix: text("prefix").notNull(),
    invitedBy: uuid("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: instant("expires_at").notNull(),
    acceptedAt: instant("accepted_at"),
    acceptedBy: uuid("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: instant("revoked_at"),
    ...stamps(),
  },
  (t) => [
    uniqueIndex("uq_t_workspace_invitations__workspace_id__lower_email_live")
      .on(t.workspaceId, sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} IS NULL AND ${t.revokedAt} IS NULL`),
    index("ix_t_workspace_invitations__workspace_id__created_at").on(t.workspaceId, t.createdAt),
  ],
);
