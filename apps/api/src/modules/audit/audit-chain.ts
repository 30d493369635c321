import { createHash } from "node:crypto";

/** The fields a row's hash covers: everything but the seal itself and the ingest counter. */
export interface ChainRow {
  id: string;
  workspaceId: string;
  occurredAt: Date;
  actorType: string;
  actorId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  agentId: string | null;
  connectionId: string | null;
  policyId: string | null;
  policyVersion: number | null;
  decision: string | null;
  outcome: string;
  code: string | null;
  httpStatus: number | null;
  latencyMs: number | null;
  requestId: string | null;
  details: unknown;
}

export const GENESIS_HASH = Buffer.alloc(32);

/** JSON with object keys sorted at every depth: the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(",")}}`;
}

/** hash = SHA-256(prev_hash ‖ seq ‖ canonical JSON of the row) (DATA-MODEL.md §2.8). */
export function chainHash(prevHash: Buffer, seq: number, row: ChainRow): Buffer {
  const content: ChainRow = {
    id: row.id,
    workspaceId: row.workspaceId,
    occurredAt: row.occurredAt,
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    agentId: row.agentId,
    connectionId: row.connectionId,
    policyId: row.policyId,
    policyVersion: row.policyVersion,
    decision: row.decision,
    outcome: row.outcome,
    code: row.code,
    httpStatus: row.httpStatus,
    latencyMs: row.latencyMs,
    requestId: row.requestId,
    details: row.details,
  };
  return createHash("sha256").update(prevHash).update(`${seq}\n`).update(canonicalJson(content)).digest();
}
