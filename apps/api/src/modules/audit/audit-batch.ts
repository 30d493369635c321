import type { Database, PreparedRunner } from "../../db/client.js";
import type { AuditInsert } from "./audit.repo.js";
import { type ChainRow, chainHash, GENESIS_HASH } from "./audit-chain.js";

export type AuditBatchRow = AuditInsert & { id: string };

/** The chain heads of a batch's workspaces as committed (no lock). */
const READ_HEADS = `
  select workspace_id, last_seq, last_hash from t_audit_chain_heads where workspace_id = any($1::uuid[])`;

/**
 * The same, locked until the transaction commits, in workspace order (two batches never wait on
 * each other in a cycle). Another writer appending to one of these workspaces waits here.
 */
const LOCK_HEADS = `${READ_HEADS} order by workspace_id for update`;

/** A workspace's first event creates its head (genesis: seq 0, 32 zero bytes). */
const CREATE_HEADS = `
  insert into t_audit_chain_heads (workspace_id)
  select w from unnest($1::uuid[]) as w order by w on conflict do nothing`;

/** The rows of a batch, sealed, as one JSON array in arrival order (`with ordinality`). */
const SEALED_ROWS = `
  select r.id, r.workspace_id, r.occurred_at, r.actor_type, r.actor_id, r.action, r.target_type,
    r.target_id, r.agent_id, r.connection_id, r.policy_id, r.policy_version, r.decision, r.outcome,
    r.code, r.http_status, r.latency_ms, r.request_id, coalesce(r.details, '{}'::jsonb), r.seq,
    decode(r.prev_hash, 'hex'), decode(r.hash, 'hex')
  from rows from (jsonb_to_recordset($1::jsonb) as (
    id uuid, workspace_id uuid, occurred_at timestamptz, actor_type actor_type, actor_id uuid,
    action text, target_type text, target_id uuid, agent_id uuid, connection_id uuid,
    policy_id uuid, policy_version int, decision audit_decision, outcome audit_outcome, code text,
    http_status smallint, latency_ms int, request_id text, details jsonb, seq bigint,
    prev_hash text, hash text)) with ordinality as r`;

const INSERT_INTO = `
  insert into l_audit_events (
    id, workspace_id, occurred_at, actor_type, actor_id, action, target_type, target_id, agent_id,
    connection_id, policy_id, policy_version, decision, outcome, code, http_status, latency_ms,
    request_id, details, seq, prev_hash, hash)`;

/**
 * The common case, one statement and no lock held across round trips: each head moves only if
 * it is still the tip the rows were chained from (seq and hash), and only the rows of workspaces
 * whose head moved are inserted. Returns those workspaces; the others were appended to meanwhile
 * (another replica, the sealer) and their rows go through the locked path.
 */
const APPEND_IF_TIP = `
  with moved as (
    update t_audit_chain_heads as h
    set last_seq = v.last_seq, last_hash = decode(v.last_hash, 'hex'), sealed_at = now(), updated_at = now()
    from jsonb_to_recordset($2::jsonb) as v(
      workspace_id uuid, from_seq bigint, from_hash text, last_seq bigint, last_hash text)
    where h.workspace_id = v.workspace_id and h.last_seq = v.from_seq
      and h.last_hash = decode(v.from_hash, 'hex')
    returning h.workspace_id),
  appended as (
    ${INSERT_INTO}
    ${SEALED_ROWS}
    where r.workspace_id in (select workspace_id from moved)
    order by r.ordinality)
  select workspace_id from moved`;

/** Under the heads' locks (taken by LOCK_HEADS in the same transaction): append and move. */
const APPEND_LOCKED = `
  with appended as (
    ${INSERT_INTO}
    ${SEALED_ROWS}
    order by r.ordinality)
  update t_audit_chain_heads as h
  set last_seq = v.last_seq, last_hash = decode(v.last_hash, 'hex'), sealed_at = now(), updated_at = now()
  from jsonb_to_recordset($2::jsonb) as v(workspace_id uuid, last_seq bigint, last_hash text)
  where h.workspace_id = v.workspace_id`;

interface Head {
  workspace_id: string;
  last_seq: number | string | bigint;
  last_hash: Uint8Array;
}

/** The row as the hash sees it: absent optional fields are null, details default to {}. */
function chainRowOf(row: AuditBatchRow): ChainRow {
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
    // As the database will give it back (jsonb holds JSON, not whatever the caller passed), so
    // verification recomputes the same hash from the stored row.
    details: JSON.parse(JSON.stringify(row.details ?? {})),
  };
}

function toRecord(row: ChainRow, seq: number, prevHash: Buffer, hash: Buffer) {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    occurred_at: row.occurredAt,
    actor_type: row.actorType,
    actor_id: row.actorId,
    action: row.action,
    target_type: row.targetType,
    target_id: row.targetId,
    agent_id: row.agentId,
    connection_id: row.connectionId,
    policy_id: row.policyId,
    policy_version: row.policyVersion,
    decision: row.decision,
    outcome: row.outcome,
    code: row.code,
    http_status: row.httpStatus,
    latency_ms: row.latencyMs,
    request_id: row.requestId,
    details: row.details,
    seq,
    prev_hash: prevHash.toString("hex"),
    hash: hash.toString("hex"),
  };
}

interface Tip {
  seq: number;
  hash: Buffer;
}

const tipOf = (head: Head): Tip => ({ seq: Number(head.last_seq), hash: Buffer.from(head.last_hash) });

/** Chains `rows` from `tips` (advancing them); the records to insert, each with seq and hashes. */
function seal(rows: readonly AuditBatchRow[], tips: Map<string, Tip>) {
  return rows.map((row) => {
    const tip = tips.get(row.workspaceId) ?? { seq: 0, hash: GENESIS_HASH };
    const content = chainRowOf(row);
    const seq = tip.seq + 1;
    const hash = chainHash(tip.hash, seq, content);
    tips.set(row.workspaceId, { seq, hash });
    return toRecord(content, seq, tip.hash, hash);
  });
}

const workspacesOf = (rows: readonly AuditBatchRow[]) => [...new Set(rows.map((r) => r.workspaceId))].sort();

async function readHeads(run: PreparedRunner, text: string, workspaceIds: string[]): Promise<Head[]> {
  const heads = await run<Head>(text, [workspaceIds]);
  if (heads.length === workspaceIds.length) return heads;
  await run(CREATE_HEADS, [workspaceIds]);
  return run<Head>(text, [workspaceIds]);
}

/** Appends under the heads' locks, in one transaction: always succeeds unless the database fails. */
async function appendLocked(database: Database, rows: readonly AuditBatchRow[]): Promise<void> {
  const workspaceIds = workspacesOf(rows);
  await database.preparedTransaction(async (run) => {
    const tips = new Map<string, Tip>();
    for (const head of await readHeads(run, LOCK_HEADS, workspaceIds))
      tips.set(head.workspace_id, tipOf(head));
    const records = seal(rows, tips);
    const moved = [...tips].map(([id, tip]) => ({
      workspace_id: id,
      last_seq: tip.seq,
      last_hash: tip.hash.toString("hex"),
    }));
    await run(APPEND_LOCKED, [JSON.stringify(records), JSON.stringify(moved)]);
  });
}

/**
 * Writes batches of audit rows already sealed (DATA-MODEL.md §3.4, decided in docs/decisions.md):
 * each workspace's rows get the next sequence numbers in batch order, their hashes chain from the
 * head, and the head moves with them, all or none per workspace. Sealing rows afterwards rewrote
 * each row and all its index entries, as much PostgreSQL work as the insert itself.
 *
 * The appender remembers the tip it last chained to per workspace, so the next batch needs no
 * read and no lock: its one statement moves the head only from that exact tip. When the tip moved
 * meanwhile (another replica, the sealer) or a batch failed, the remembered tip is dropped and
 * those rows take the locked path. Rows written unsealed (admin actions, in their own
 * transactions) are sealed by the sealer job, after these.
 */
export function createAuditAppender(database: Database) {
  const tips = new Map<string, Tip>();

  async function fast(rows: readonly AuditBatchRow[], workspaceIds: string[]): Promise<Set<string>> {
    const unknown = workspaceIds.filter((id) => !tips.has(id));
    if (unknown.length > 0) {
      for (const head of await readHeads(database.prepared, READ_HEADS, unknown))
        tips.set(head.workspace_id, tipOf(head));
    }
    const from = new Map(workspaceIds.map((id) => [id, tips.get(id) as Tip]));
    const records = seal(rows, tips);
    const heads = workspaceIds.map((id) => {
      const before = from.get(id) ?? { seq: 0, hash: GENESIS_HASH };
      const after = tips.get(id) as Tip;
      return {
        workspace_id: id,
        from_seq: before.seq,
        from_hash: before.hash.toString("hex"),
        last_seq: after.seq,
        last_hash: after.hash.toString("hex"),
      };
    });
    try {
      const moved = await database.prepared<{ workspace_id: string }>(APPEND_IF_TIP, [
        JSON.stringify(records),
        JSON.stringify(heads),
      ]);
      return new Set(moved.map((m) => m.workspace_id));
    } catch (err) {
      for (const id of workspaceIds) tips.delete(id);
      throw err;
    }
  }

  return {
    /**
     * Appends the batch. The locked path is tried once more if it fails (`onRetry` hears why);
     * a throw means none of the rows not yet committed could be written.
     */
    async append(rows: readonly AuditBatchRow[], onRetry: (err: unknown) => void): Promise<void> {
      const workspaceIds = workspacesOf(rows);
      let left = rows;
      try {
        const moved = await fast(rows, workspaceIds);
        if (moved.size === workspaceIds.length) return;
        for (const id of workspaceIds) if (!moved.has(id)) tips.delete(id);
        left = rows.filter((r) => !moved.has(r.workspaceId));
      } catch (err) {
        onRetry(err); // nothing of the batch was written
      }
      try {
        await appendLocked(database, left);
      } catch (err) {
        onRetry(err);
        await appendLocked(database, left);
      }
    },
  };
}
export type AuditAppender = ReturnType<typeof createAuditAppender>;
