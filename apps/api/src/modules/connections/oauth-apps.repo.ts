import { and, desc, eq, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { connections, pendingConnections, workspaceOAuthApps } from "../../db/schema/index.js";

export type OAuthAppRow = typeof workspaceOAuthApps.$inferSelect;

export function createOAuthAppRepo() {
  const inWorkspace = (workspaceId: string, id: string) =>
    and(eq(workspaceOAuthApps.workspaceId, workspaceId), eq(workspaceOAuthApps.id, id));
  return {
    insert: (db: DbOrTx, row: typeof workspaceOAuthApps.$inferInsert) =>
      db.insert(workspaceOAuthApps).values(row),
    find: async (db: DbOrTx, workspaceId: string, id: string) =>
      (await db.select().from(workspaceOAuthApps).where(inWorkspace(workspaceId, id)).limit(1))[0],
    forProvider: (db: DbOrTx, workspaceId: string, provider: string) =>
      db
        .select()
        .from(workspaceOAuthApps)
        .where(
          and(eq(workspaceOAuthApps.workspaceId, workspaceId), eq(workspaceOAuthApps.provider, provider)),
        )
        .limit(2),
    byLabel: async (db: DbOrTx, workspaceId: string, label: string) =>
      (
        await db
          .select({ id: workspaceOAuthApps.id })
          .from(workspaceOAuthApps)
          .where(and(eq(workspaceOAuthApps.workspaceId, workspaceId), eq(workspaceOAuthApps.label, label)))
          .limit(1)
      )[0],
    list: (db: DbOrTx, workspaceId: string, limit: number, afterId?: string) =>
      db
        .select()
        .from(workspaceOAuthApps)
        .where(
          and(
            eq(workspaceOAuthApps.workspaceId, workspaceId),
            afterId ? lt(workspaceOAuthApps.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(workspaceOAuthApps.id))
        .limit(limit + 1),
    /** Optimistic concurrency: only the expected version is updated. */
    update: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      expectedVersion: number,
      patch: Partial<typeof workspaceOAuthApps.$inferInsert>,
      now: Date,
    ) =>
      (
        await db
          .update(workspaceOAuthApps)
          .set({ ...patch, version: expectedVersion + 1, updatedAt: now })
          .where(and(inWorkspace(workspaceId, id), eq(workspaceOAuthApps.version, expectedVersion)))
          .returning()
      )[0],
    delete: (db: DbOrTx, workspaceId: string, id: string) =>
      db.delete(workspaceOAuthApps).where(inWorkspace(workspaceId, id)),
    /** Flows started with the app: single-use records that die with it (an open one then fails). */
    deletePendingFlows: (db: DbOrTx, workspaceId: string, id: string) =>
      db
        .delete(pendingConnections)
        .where(and(eq(pendingConnections.workspaceId, workspaceId), eq(pendingConnections.oauthAppId, id))),
    detachRevoked: (db: DbOrTx, workspaceId: string, id: string) =>
      db
        .update(connections)
        .set({ oauthAppId: null })
        .where(
          and(
            eq(connections.workspaceId, workspaceId),
            eq(connections.oauthAppId, id),
            eq(connections.status, "revoked"),
          ),
        ),
    /** Live (non-revoked) connections still using the app. */
    usedBy: (db: DbOrTx, workspaceId: string, id: string) =>
      db
        .select({ id: connections.id, status: connections.status })
        .from(connections)
        .where(and(eq(connections.workspaceId, workspaceId), eq(connections.oauthAppId, id)))
        .limit(100),
  };
}
