import { and, desc, eq, isNull, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { personalAccessTokens } from "../../db/schema/index.js";

export type PatRow = typeof personalAccessTokens.$inferSelect;

export function createPatRepo() {
  const mine = (workspaceId: string, userId: string) =>
    and(eq(personalAccessTokens.workspaceId, workspaceId), eq(personalAccessTokens.userId, userId));
  return {
    insert: (db: DbOrTx, row: typeof personalAccessTokens.$inferInsert) =>
      db.insert(personalAccessTokens).values(row),
    list: (db: DbOrTx, workspaceId: string, userId: string, limit: number, afterId?: string) =>
      db
        .select()
        .from(personalAccessTokens)
        .where(and(mine(workspaceId, userId), afterId ? lt(personalAccessTokens.id, afterId) : undefined))
        .orderBy(desc(personalAccessTokens.id))
        .limit(limit + 1),
    rename: async (db: DbOrTx, workspaceId: string, userId: string, id: string, name: string, now: Date) =>
      (
        await db
          .update(personalAccessTokens)
          .set({ name, updatedAt: now })
          .where(and(mine(workspaceId, userId), eq(personalAccessTokens.id, id)))
          .returning()
      )[0],
    revoke: async (db: DbOrTx, workspaceId: string, userId: string, id: string, now: Date) =>
      (
        await db
          .update(personalAccessTokens)
          .set({ revokedAt: now, updatedAt: now })
          .where(
            and(
              mine(workspaceId, userId),
              eq(personalAccessTokens.id, id),
              isNull(personalAccessTokens.revokedAt),
            ),
          )
          .returning({ id: personalAccessTokens.id })
      )[0],
    revokeAllOfMember: (db: DbOrTx, workspaceId: string, userId: string, now: Date) =>
      db
        .update(personalAccessTokens)
        .set({ revokedAt: now, updatedAt: now })
        .where(and(mine(workspaceId, userId), isNull(personalAccessTokens.revokedAt))),
    findByHash: async (db: DbOrTx, tokenHash: Buffer) =>
      (
        await db
          .select()
          .from(personalAccessTokens)
          .where(eq(personalAccessTokens.tokenHash, tokenHash))
          .limit(1)
      )[0],
    touch: (db: DbOrTx, id: string, now: Date) =>
      db.update(personalAccessTokens).set({ lastUsedAt: now }).where(eq(personalAccessTokens.id, id)),
  };
}
