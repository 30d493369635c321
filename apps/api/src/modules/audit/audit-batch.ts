import type { Database } from "../../db/client.js";
import type { AuditInsert } from "./audit.repo.js";

export type AuditBatchRow = AuditInsert & { id: string };

/**
 * One prepared statement for a whole batch of any size: the rows travel as one JSON array and
 * PostgreSQL unpacks them in arrival order (`with ordinality`), so `ingest_no` follows the order
 * events were recorded. Building a multi-row INSERT per batch with the query builder cost more
 * CPU than everything else on the vault's hot path, and each batch size was a new statement.
 */
const INSERT_BATCH = `
  insert into l_audit_events (
    id, workspace_id, occurred_at, actor_type, actor_id, action, target_type, target_id, agent_id,
    connection_id, policy_id, policy_version, decision, outcome, code, http_status, latency_ms,
    request_id, details)
  select r.id, r.workspace_id, r.occurred_at, r.actor_type, r.actor_id, r.action, r.target_type,
    r.target_id, r.agent_id, r.connection_id, r.policy_id, r.policy_version, r.decision, r.outcome,
    r.code, r.http_status, r.latency_ms, r.request_id, coalesce(r.details, '{}'::jsonb)
  from rows from (jsonb_to_recordset($1::jsonb) as (
    id uuid, workspace_id uuid, occurred_at timestamptz, actor_type actor_type, actor_id uuid,
    action text, target_type text, target_id uuid, agent_id uuid, connection_id uuid,
    policy_id uuid, policy_version int, decision audit_decision, outcome audit_outcome, code text,
    http_status smallint, latency_ms int, request_id text, details jsonb)) with ordinality as r
  order by r.ordinality`;

function toRecord(row: AuditBatchRow) {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    occurred_at: row.occurredAt,
    actor_type: row.actorType,
    actor_id: row.actorId ?? null,
    action: row.action,
    target_type: row.targetType ?? null,
    target_id: row.targetId ?? null,
    agent_id: row.agentId ?? null,
    connection_id: row.connectionId ?? null,
    policy_id: row.policyId ?? null,
    policy_version: row.policyVersion ?? null,
    decision: row.decision ?? null,
    outcome: row.outcome,
    code: row.code ?? null,
    http_status: row.httpStatus ?? null,
    latency_ms: row.latencyMs ?? null,
    request_id: row.requestId ?? null,
    details: row.details ?? {},
  };
}

/** Writes a batch of audit rows in one statement (one implicit transaction: all or none). */
export async function insertAuditBatch(database: Database, rows: readonly AuditBatchRow[]): Promise<void> {
  await database.prepared(INSERT_BATCH, [JSON.stringify(rows.map(toRecord))]);
}
