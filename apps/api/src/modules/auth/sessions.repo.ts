import { and, eq, gt, isNull } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { sessions, users } from "../../db/schema/index.js";

export function createSessionRepo() {
  return {
    /** ⚑ routes: the session exists, is not revoked or expired, and its user is not disabled. */
    isLive: async (db: DbOrTx, sessionId: string, now: Date) =>
      (
        await db
          .select({ id: sessions.id })
          .from(sessions)
          .innerJoin(users, eq(users.id, sessions.userId))
          .where(
            and(
              eq(sessions.id, sessionId),
              isNull(sessions.revokedAt),
              gt(sessions.expiresAt, now),
              isNull(users.disabledAt),
            ),
          )
          .limit(1)
      ).length > 0,
    setActiveWorkspace: (db: DbOrTx, sessionId: string, workspaceId: string) =>
      db
        .update(sessions)
        .set({ activeWorkspaceId: workspaceId, updatedAt: new Date() })
        .where(eq(sessions.id, sessionId)),
  };
}
