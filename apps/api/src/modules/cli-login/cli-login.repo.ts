import { and, desc, eq, gt, isNull, lte, or } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { cliLoginRequests } from "../../db/schema/cli-logins.js";

export type CliLoginRow = typeof cliLoginRequests.$inferSelect;

/** t_cli_login_requests. Every state change is one conditional UPDATE … RETURNING (single winner). */
export function createCliLoginRepo() {
  const t = cliLoginRequests;
  return {
    insert: (db: DbOrTx, row: typeof t.$inferInsert) => db.insert(t).values(row),

    findByDeviceCodeHash: async (db: DbOrTx, hash: Buffer) =>
      (await db.select().from(t).where(eq(t.deviceCodeHash, hash)).limit(1))[0],

    findPendingByUserCode: async (db: DbOrTx, userCode: string, now: Date) =>
      (
        await db
          .select()
          .from(t)
          .where(and(eq(t.userCode, userCode), eq(t.status, "pending"), gt(t.expiresAt, now)))
          .orderBy(desc(t.id))
          .limit(1)
      )[0],

    decide: async (
      db: DbOrTx,
      id: string,
      decision: { status: "approved" | "denied"; userId: string; workspaceId: string; scopes: string[] },
      now: Date,
    ) =>
      (
        await db
          .update(t)
          .set({ ...decision, updatedAt: now })
          .where(and(eq(t.id, id), eq(t.status, "pending"), gt(t.expiresAt, now)))
          .returning()
      )[0],

    /** Records a poll unless the previous one was less than `intervalSeconds` ago (RFC 8628 slow_down). */
    recordPoll: async (db: DbOrTx, row: CliLoginRow, now: Date) =>
      (
        await db
          .update(t)
          .set({ lastPolledAt: now })
          .where(
            and(
              eq(t.id, row.id),
              or(
                isNull(t.lastPolledAt),
                lte(t.lastPolledAt, new Date(now.getTime() - row.pollIntervalSeconds * 1000)),
              ),
            ),
          )
          .returning({ id: t.id })
      ).length === 1,

    slowDown: (db: DbOrTx, id: string, intervalSeconds: number, now: Date) =>
      db.update(t).set({ pollIntervalSeconds: intervalSeconds, lastPolledAt: now }).where(eq(t.id, id)),

    /** approved → consumed, once: the device code yields one token. */
    claim: async (db: DbOrTx, id: string, now: Date) =>
      (
        await db
          .update(t)
          .set({ status: "consumed", updatedAt: now })
          .where(and(eq(t.id, id), eq(t.status, "approved"), gt(t.expiresAt, now)))
          .returning()
      )[0],

    setPat: (db: DbOrTx, id: string, patId: string) => db.update(t).set({ patId }).where(eq(t.id, id)),
  };
}
