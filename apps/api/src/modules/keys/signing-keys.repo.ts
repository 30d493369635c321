import { and, eq, inArray, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { signingKeys } from "../../db/schema/index.js";

export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type NewSigningKeyRow = typeof signingKeys.$inferInsert;

export function createSigningKeyRepo() {
  return {
    listPublishable: (db: DbOrTx) =>
      db
        .select()
        .from(signingKeys)
        .where(inArray(signingKeys.status, ["active", "retiring"])),
    findByKid: async (db: DbOrTx, kid: string) =>
      (await db.select().from(signingKeys).where(eq(signingKeys.kid, kid)).limit(1))[0],
    findActive: async (db: DbOrTx) =>
      (await db.select().from(signingKeys).where(eq(signingKeys.status, "active")).limit(1))[0],
    insert: (db: DbOrTx, row: NewSigningKeyRow) => db.insert(signingKeys).values(row),
    retireActive: (db: DbOrTx, notAfter: Date, now: Date) =>
      db
        .update(signingKeys)
        .set({ status: "retiring", notAfter, updatedAt: now })
        .where(eq(signingKeys.status, "active")),
    activate: (db: DbOrTx, kid: string, now: Date) =>
      db
        .update(signingKeys)
        .set({ status: "active", notAfter: null, activatedAt: now, updatedAt: now })
        .where(eq(signingKeys.kid, kid)),
    retireExpired: (db: DbOrTx, now: Date) =>
      db
        .update(signingKeys)
        .set({ status: "retired", updatedAt: now })
        .where(and(eq(signingKeys.status, "retiring"), lt(signingKeys.notAfter, now))),
  };
}
export type SigningKeyRepo = ReturnType<typeof createSigningKeyRepo>;
