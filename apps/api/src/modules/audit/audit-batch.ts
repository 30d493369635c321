import { isUuid } from "@agenthifive/contracts";
import type { Database } from "../../db/client.js";
import type { AuditInsert } from "./audit.repo.js";
import { type ChainRow, canonicalRow } from "./audit-chain.js";

/**
 * Seals and inserts a batch in one statement (migration 0007_append_sealed_audit.sql). The rows
 * travel as one newline-separated text (canonical JSON never holds a raw newline: JSON escapes
 * it), which PostgreSQL splits in C; an array parameter cost the driver two regex escapes of
 * every row.
 */
const APPEND_SEALED =
  "select ah5_append_audit(string_to_array($1, ',')::uuid[], string_to_array($2, chr(10)))";

/** A row as the writer sends it: its workspace, and its canonical JSON (what its hash covers). */
export interface CanonicalAuditRow {
  workspaceId: string;
  canonical: string;
}

/** The row as the hash sees it: absent optional fields are null, details default to {}. */
function chainRowOf(row: AuditInsert & { id: string }): ChainRow {
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    occurredAt: row.occurredAt,
    actorType: row.actorType,
    actorId: row.actorId ?? null,
    action: row.action,
    targetType: row.targetType ?? null,
    targetId: row.targetId ?? null,
    agentId: row.agentId ?? null,
    connectionId: row.connectionId ?? null,
    policyId: row.policyId ?? null,
    policyVersion: row.policyVersion ?? null,
    decision: row.decision ?? null,
    outcome: row.outcome,
    code: row.code ?? null,
    httpStatus: row.httpStatus ?? null,
    latencyMs: row.latencyMs ?? null,
    requestId: row.requestId ?? null,
    // Plain JSON, as the database will give it back (a Date, a Buffer or a class instance in the
    // caller's details becomes what JSON makes of it), so verification recomputes the same hash.
    details: JSON.parse(JSON.stringify(row.details ?? {})),
  };
}

function assertUuid(field: string, value: string | null) {
  if (value !== null && !isUuid(value)) throw new TypeError(`audit event ${field} is not a UUID`);
}

/** smallint / int columns: a fraction or an overflow would fail the whole batch's insert. */
function assertInt(field: string, value: number | null, max: number) {
  if (value !== null && !(Number.isInteger(value) && Math.abs(value) <= max))
    throw new TypeError(`audit event ${field} is not an integer the column holds`);
}

/**
 * Built when the event is recorded, so an event that cannot be serialised, or whose ids or
 * numbers the database would refuse, fails alone and not the batch of other requests' rows it
 * would join.
 */
export function canonicalAuditRow(row: AuditInsert & { id: string }): CanonicalAuditRow {
  const r = chainRowOf(row);
  assertUuid("id", r.id);
  assertUuid("workspaceId", r.workspaceId);
  assertUuid("actorId", r.actorId);
  assertUuid("targetId", r.targetId);
  assertUuid("agentId", r.agentId);
  assertUuid("connectionId", r.connectionId);
  assertUuid("policyId", r.policyId);
  assertInt("httpStatus", r.httpStatus, 32_767);
  assertInt("latencyMs", r.latencyMs, 2_147_483_647);
  assertInt("policyVersion", r.policyVersion, 2_147_483_647);
  return { workspaceId: row.workspaceId, canonical: canonicalRow(r) };
}

const byWorkspace = (a: CanonicalAuditRow, b: CanonicalAuditRow) =>
  a.workspaceId < b.workspaceId ? -1 : a.workspaceId > b.workspaceId ? 1 : 0;

/**
 * Writes a batch of audit rows already sealed (DATA-MODEL.md §3.4 as changed in docs/decisions.md):
 * under the lock of each workspace's chain head, PostgreSQL gives the rows the next sequence
 * numbers in batch order, chains their hashes and moves the head: one statement, all or none.
 * Sealing rows afterwards rewrote each row and all its index entries, as much work as the insert.
 * Rows written unsealed (admin actions, in their own transactions) are sealed by the sealer job.
 */
export async function insertAuditBatch(
  database: Database,
  rows: readonly CanonicalAuditRow[],
): Promise<void> {
  // Grouped by workspace, in workspace order (the locks' order); a stable sort keeps each
  // workspace's rows in the order they were recorded.
  const grouped = rows.slice().sort(byWorkspace);
  await database.prepared(APPEND_SEALED, [
    grouped.map((r) => r.workspaceId).join(","),
    grouped.map((r) => r.canonical).join("\n"),
  ]);
}
