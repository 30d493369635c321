import { and, desc, eq, lt, ne, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { connections } from "../../db/schema/index.js";

export type ConnectionRow = typeof connections.$inferSelect;

export function createConnectionRepo() {
  return {
    insert: (db: DbOrTx, row: typeof connections.$inferInsert) => db.insert(connections).values(row),
    find: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(connections)
          .where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, id)))
          .limit(1)
      )[0],
    touch: (db: DbOrTx, workspaceId: string, id: string, now: Date) =>
      db
        .update(connections)
        .set({ lastUsedAt: now })
        .where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, id))),
    lockForUpdate: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(connections)
          .where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, id)))
          .for("update")
          .limit(1)
      )[0],
    list: (
      db: DbOrTx,
      workspaceId: string,
      limit: number,
      f: { provider?: string; status?: ConnectionRow["status"] },
      afterId?: string,
    ) =>
      db
        .select()
        .from(connections)
        .where(
          and(
            eq(connections.workspaceId, workspaceId),
            f.provider ? eq(connections.provider, f.provider) : undefined,
            f.status ? eq(connections.status, f.status) : ne(connections.status, "revoked"),
            afterId ? lt(connections.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(connections.id))
        .limit(limit + 1),
    update: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      patch: Partial<typeof connections.$inferInsert>,
      now: Date,
    ) =>
      (
        await db
          .update(connections)
          .set({ ...patch, updatedAt: now })
          .where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, id)))
          .returning()
      )[0],
    /** Credential writes bump the lock version: readers holding an older one know to re-read. */
    writeCredential: (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      patch: Partial<typeof connections.$inferInsert>,
      now: Date,
    ) =>
      db
        .update(connections)
        .set({ ...patch, refreshLockVersion: sql`${connections.refreshLockVersion} + 1`, updatedAt: now })
        .where(and(eq(connections.workspaceId, workspaceId), eq(connections.id, id))),
  };
}
export type ConnectionRepo = ReturnType<typeof createConnectionRepo>;
