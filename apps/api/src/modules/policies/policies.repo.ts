import { and, desc, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { policies, policyVersions } from "../../db/schema/index.js";

export type PolicyRow = typeof policies.$inferSelect;

export function createPolicyRepo() {
  return {
    insert: (db: DbOrTx, row: typeof policies.$inferInsert) => db.insert(policies).values(row),
    find: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(policies)
          .where(and(eq(policies.workspaceId, workspaceId), eq(policies.id, id)))
          .limit(1)
      )[0],
    /** The vault's lookup: the policy that binds this agent to this connection. */
    findBinding: async (db: DbOrTx, workspaceId: string, agentId: string, connectionId: string) =>
      (
        await db
          .select()
          .from(policies)
          .where(
            and(
              eq(policies.workspaceId, workspaceId),
              eq(policies.agentId, agentId),
              eq(policies.connectionId, connectionId),
            ),
          )
          .limit(1)
      )[0],
    list: (
      db: DbOrTx,
      workspaceId: string,
      limit: number,
      f: { agentId?: string; connectionId?: string },
      afterId?: string,
    ) =>
      db
        .select()
        .from(policies)
        .where(
          and(
            eq(policies.workspaceId, workspaceId),
            f.agentId ? eq(policies.agentId, f.agentId) : undefined,
            f.connectionId ? eq(policies.connectionId, f.connectionId) : undefined,
            afterId ? lt(policies.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(policies.id))
        .limit(limit + 1),
    /** Optimistic concurrency: zero rows = someone else saved first (or it is gone). */
    replace: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      expectedVersion: number,
      patch: { document: Record<string, unknown>; enabled: boolean; updatedBy: string },
      now: Date,
    ) =>
      (
        await db
          .update(policies)
          .set({ ...patch, version: expectedVersion + 1, updatedAt: now })
          .where(
            and(
              eq(policies.workspaceId, workspaceId),
              eq(policies.id, id),
              eq(policies.version, expectedVersion),
            ),
          )
          .returning()
      )[0],
    delete: (db: DbOrTx, workspaceId: string, id: string) =>
      db.delete(policies).where(and(eq(policies.workspaceId, workspaceId), eq(policies.id, id))),
    insertVersion: (db: DbOrTx, row: typeof policyVersions.$inferInsert) =>
      db.insert(policyVersions).values(row),
    versions: (db: DbOrTx, workspaceId: string, policyId: string, limit: number, beforeVersion?: number) =>
      db
        .select()
        .from(policyVersions)
        .where(
          and(
            eq(policyVersions.workspaceId, workspaceId),
            eq(policyVersions.policyId, policyId),
            beforeVersion ? lt(policyVersions.version, beforeVersion) : undefined,
          ),
        )
        .orderBy(desc(policyVersions.version))
        .limit(limit + 1),
  };
}
