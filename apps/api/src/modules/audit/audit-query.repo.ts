import { and, desc, eq, gte, inArray, lt, lte, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { auditEvents } from "../../db/schema/index.js";

export type AuditRow = typeof auditEvents.$inferSelect;

export interface AuditFilter {
  agentId?: string;
  connectionId?: string;
  actorId?: string;
  action?: string | string[];
  decision?: "allow" | "deny" | "require_approval";
  from?: string;
  to?: string;
  requestId?: string;
}

function conditions(workspaceId: string, f: AuditFilter, beforeId?: string): SQL | undefined {
  const actions = f.action === undefined ? [] : Array.isArray(f.action) ? f.action : [f.action];
  return and(
    eq(auditEvents.workspaceId, workspaceId),
    f.agentId ? eq(auditEvents.agentId, f.agentId) : undefined,
    f.connectionId ? eq(auditEvents.connectionId, f.connectionId) : undefined,
    f.actorId ? eq(auditEvents.actorId, f.actorId) : undefined,
    actions.length ? inArray(auditEvents.action, actions) : undefined,
    f.decision ? eq(auditEvents.decision, f.decision) : undefined,
    f.from ? gte(auditEvents.occurredAt, new Date(f.from)) : undefined,
    f.to ? lte(auditEvents.occurredAt, new Date(f.to)) : undefined,
    f.requestId ? eq(auditEvents.requestId, f.requestId) : undefined,
    beforeId ? lt(auditEvents.id, beforeId) : undefined,
  );
}

/** Newest first; ids are time-ordered, so the id is the keyset cursor. */
export function createAuditQueryRepo() {
  return {
    page: (db: DbOrTx, workspaceId: string, f: AuditFilter, limit: number, beforeId?: string) =>
      db
        .select()
        .from(auditEvents)
        .where(conditions(workspaceId, f, beforeId))
        .orderBy(desc(auditEvents.id))
        .limit(limit),
    find: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(auditEvents)
          .where(and(eq(auditEvents.workspaceId, workspaceId), eq(auditEvents.id, id)))
          .limit(1)
      )[0],
  };
}
