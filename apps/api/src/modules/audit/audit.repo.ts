import type { DbOrTx } from "../../db/client.js";
import { auditEvents } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";

export type AuditInsert = Omit<
  typeof auditEvents.$inferInsert,
  "id" | "ingestNo" | "seq" | "prevHash" | "hash"
> & {
  id?: string;
};

/**
 * Writes one audit row in the caller's transaction: an admin action and its audit record commit
 * together or not at all (API.md S8).
 */
export async function insertAuditEvent(tx: DbOrTx, event: AuditInsert): Promise<string> {
  const id = event.id ?? newId();
  await tx.insert(auditEvents).values({ ...event, id });
  return id;
}
