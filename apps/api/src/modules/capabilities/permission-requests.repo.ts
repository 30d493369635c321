import { and, count, desc, eq, gt, lt, lte } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { agentPermissionRequests, agents } from "../../db/schema/index.js";

export type PermissionRequestRow = typeof agentPermissionRequests.$inferSelect;
export type JoinedPermissionRequest = { request: PermissionRequestRow; agentName: string };

const joined = { request: agentPermissionRequests, agentName: agents.name };
const agentJoin = and(
  eq(agents.id, agentPermissionRequests.agentId),
  eq(agents.workspaceId, agentPermissionRequests.workspaceId),
);

export function createPermissionRequestRepo() {
  return {
    insert: (db: DbOrTx, row: typeof agentPermissionRequests.$inferInsert) =>
      db.insert(agentPermissionRequests).values(row),

    find: async (db: DbOrTx, workspaceId: string, id: string): Promise<JoinedPermissionRequest | undefined> =>
      (
        await db
          .select(joined)
          .from(agentPermissionRequests)
          .innerJoin(agents, agentJoin)
          .where(
            and(eq(agentPermissionRequests.workspaceId, workspaceId), eq(agentPermissionRequests.id, id)),
          )
          .limit(1)
      )[0],

    list: (
      db: DbOrTx,
      workspaceId: string,
      limit: number,
      f: { status?: PermissionRequestRow["status"]; agentId?: string },
      afterId?: string,
    ) =>
      db
        .select(joined)
        .from(agentPermissionRequests)
        .innerJoin(agents, agentJoin)
        .where(
          and(
            eq(agentPermissionRequests.workspaceId, workspaceId),
            f.status ? eq(agentPermissionRequests.status, f.status) : undefined,
            f.agentId ? eq(agentPermissionRequests.agentId, f.agentId) : undefined,
            afterId ? lt(agentPermissionRequests.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(agentPermissionRequests.id))
        .limit(limit + 1),

    /** Requests this agent filed since `since` (the 10/hour limit, shared by every replica). */
    countSince: async (db: DbOrTx, workspaceId: string, agentId: string, since: Date) =>
      (
        await db
          .select({ n: count() })
          .from(agentPermissionRequests)
          .where(
            and(
              eq(agentPermissionRequests.workspaceId, workspaceId),
              eq(agentPermissionRequests.agentId, agentId),
              gt(agentPermissionRequests.createdAt, since),
            ),
          )
      )[0]?.n ?? 0,

    /** One decision wins: conditional on `pending` and unexpired. */
    decide: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      d: {
        status: "approved" | "denied";
        decidedBy: string;
        comment: string | null;
        connectionId?: string;
        resultingPolicyId?: string;
      },
      now: Date,
    ) =>
      (
        await db
          .update(agentPermissionRequests)
          .set({
            status: d.status,
            decidedBy: d.decidedBy,
            decidedAt: now,
            comment: d.comment,
            ...(d.connectionId ? { connectionId: d.connectionId } : {}),
            ...(d.resultingPolicyId ? { resultingPolicyId: d.resultingPolicyId } : {}),
            updatedAt: now,
          })
          .where(
            and(
              eq(agentPermissionRequests.workspaceId, workspaceId),
              eq(agentPermissionRequests.id, id),
              eq(agentPermissionRequests.status, "pending"),
              gt(agentPermissionRequests.expiresAt, now),
            ),
          )
          .returning()
      )[0],

    expireDue: (db: DbOrTx, now: Date) =>
      db
        .update(agentPermissionRequests)
        .set({ status: "expired", updatedAt: now })
        .where(
          and(eq(agentPermissionRequests.status, "pending"), lte(agentPermissionRequests.expiresAt, now)),
        )
        .returning({ id: agentPermissionRequests.id, workspaceId: agentPermissionRequests.workspaceId }),

    /** Pending requests of one agent, for `GET /v1/capabilities`. */
    pendingOf: (db: DbOrTx, workspaceId: string, agentId: string) =>
      db
        .select()
        .from(agentPermissionRequests)
        .where(
          and(
            eq(agentPermissionRequests.workspaceId, workspaceId),
            eq(agentPermissionRequests.agentId, agentId),
            eq(agentPermissionRequests.status, "pending"),
          ),
        )
        .orderBy(desc(agentPermissionRequests.createdAt))
        .limit(100),
  };
}

export const requestedAction = (row: PermissionRequestRow) =>
  typeof row.requested.actionTemplateId === "string" ? row.requested.actionTemplateId : "";
