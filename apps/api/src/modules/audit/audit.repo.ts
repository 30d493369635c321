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

/** A person's admin action on one target, written in the action's transaction (API.md S8). */
export function auditUserAction(
  tx: DbOrTx,
  actor: { workspaceId: string; userId: string },
  occurredAt: Date,
  e: Pick<AuditInsert, "action" | "targetType" | "targetId" | "requestId" | "agentId" | "connectionId"> & {
    details?: Record<string, unknown>;
  },
): Promise<string> {
  return insertAuditEvent(tx, {
    workspaceId: actor.workspaceId,
    occurredAt,
    actorType: "user",
    actorId: actor.userId,
    outcome: "success",
    ...e,
    details: e.details ?? {},
  });
}
