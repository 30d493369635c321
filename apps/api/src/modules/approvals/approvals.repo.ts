import { and, desc, eq, gt, inArray, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { agents, approvalRequests } from "../../db/schema/index.js";

export type ApprovalRow = typeof approvalRequests.$inferSelect;

export function createApprovalRepo() {
  const withAgentName = {
    approval: approvalRequests,
    agentName: agents.name,
  };
  return {
    insert: (db: DbOrTx, row: typeof approvalRequests.$inferInsert) =>
      db.insert(approvalRequests).values(row),
    find: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select(withAgentName)
          .from(approvalRequests)
          .innerJoin(
            agents,
            and(
              eq(agents.id, approvalRequests.agentId),
              eq(agents.workspaceId, approvalRequests.workspaceId),
            ),
          )
          .where(and(eq(approvalRequests.workspaceId, workspaceId), eq(approvalRequests.id, id)))
          .limit(1)
      )[0],
    list: (
      db: DbOrTx,
      workspaceId: string,
      limit: number,
      f: { status?: ApprovalRow["status"]; agentId?: string; connectionId?: string },
      afterId?: string,
    ) =>
      db
        .select(withAgentName)
        .from(approvalRequests)
        .innerJoin(
          agents,
          and(eq(agents.id, approvalRequests.agentId), eq(agents.workspaceId, approvalRequests.workspaceId)),
        )
        .where(
          and(
            eq(approvalRequests.workspaceId, workspaceId),
            f.status ? eq(approvalRequests.status, f.status) : undefined,
            f.agentId ? eq(approvalRequests.agentId, f.agentId) : undefined,
            f.connectionId ? eq(approvalRequests.connectionId, f.connectionId) : undefined,
            afterId ? lt(approvalRequests.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(approvalRequests.id))
        .limit(limit + 1),
    /** One decision wins: a conditional UPDATE on status = 'pending' (DATA-MODEL.md §2.6). */
    decide: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      d: {
        status: "approved" | "denied";
        decidedBy: string | null;
        channel: ApprovalRow["decisionChannel"];
        comment?: string;
      },
      now: Date,
      redeemWindowMs: number,
    ) =>
      (
        await db
          .update(approvalRequests)
          .set({
            status: d.status,
            decidedBy: d.decidedBy,
            decidedAt: now,
            decisionChannel: d.channel,
            comment: d.comment ?? null,
            updatedAt: now,
            ...(d.status === "approved" ? { expiresAt: new Date(now.getTime() + redeemWindowMs) } : {}),
          })
          .where(
            and(
              eq(approvalRequests.workspaceId, workspaceId),
              eq(approvalRequests.id, id),
              eq(approvalRequests.status, "pending"),
              gt(approvalRequests.expiresAt, now),
            ),
          )
          .returning()
      )[0],
    /** Consumed atomically before the provider call: two replicas redeeming the same id, one wins. */
    consume: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      agentId: string,
      fingerprint: Buffer,
      now: Date,
    ) =>
      (
        await db
          .update(approvalRequests)
          .set({ status: "consumed", consumedAt: now, updatedAt: now })
          .where(
            and(
              eq(approvalRequests.workspaceId, workspaceId),
              eq(approvalRequests.id, id),
              eq(approvalRequests.agentId, agentId),
              eq(approvalRequests.status, "approved"),
              gt(approvalRequests.expiresAt, now),
              eq(approvalRequests.fingerprint, fingerprint),
            ),
          )
          .returning({ id: approvalRequests.id })
      )[0],
    expireDue: async (db: DbOrTx, now: Date) =>
      await db
        .update(approvalRequests)
        .set({ status: "expired", updatedAt: now })
        .where(
          and(inArray(approvalRequests.status, ["pending", "approved"]), lt(approvalRequests.expiresAt, now)),
        )
        .returning({ id: approvalRequests.id, workspaceId: approvalRequests.workspaceId }),
  };
}
