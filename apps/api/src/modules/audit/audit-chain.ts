import { hash } from "node:crypto";

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

/**
 * A string PostgreSQL can store: a NUL or a lone surrogate (which no stored row can contain) is
 * replaced by U+FFFD, so one odd value cannot make a whole batch of other requests' rows fail.
 */
function storable(s: string): string {
  return MAYBE_UNSTORABLE.test(s) ? s.replace(UNSTORABLE, "\uFFFD") : s;
}
const MAYBE_UNSTORABLE = /[\0\uD800-\uDFFF]/;
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

const quote = (s: string) => JSON.stringify(storable(s));

/** JSON with object keys sorted at every depth: the same row always hashes the same. */
function canonicalJson(value: unknown): string {
  if (typeof value === "string") return quote(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i === 0 ? "" : ",") + canonicalJson(value[i]);
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  let out = "";
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined) continue;
    out += `${out === "" ? "{" : ","}${quote(key)}:${canonicalJson(v)}`;
  }
  return out === "" ? "{}" : `${out}}`;
}

const text = (v: string | null) => (v === null ? "null" : quote(v));
const num = (v: number | null) => (v === null ? "null" : JSON.stringify(v));

/**
 * `canonicalJson` of a row, written out field by field in sorted key order (a loop over field
 * names was a megamorphic lookup per field, the largest cost of recording an event). Every
 * field is present: absent values are null.
 */
export function canonicalRow(r: ChainRow): string {
  return (
    `{"action":${quote(r.action)},"actorId":${text(r.actorId)},"actorType":${quote(r.actorType)}` +
    `,"agentId":${text(r.agentId)},"code":${text(r.code)},"connectionId":${text(r.connectionId)}` +
    `,"decision":${text(r.decision)},"details":${canonicalJson(r.details)}` +
    `,"httpStatus":${num(r.httpStatus)},"id":${quote(r.id)},"latencyMs":${num(r.latencyMs)}` +
    `,"occurredAt":${canonicalJson(r.occurredAt)},"outcome":${quote(r.outcome)}` +
    `,"policyId":${text(r.policyId)},"policyVersion":${num(r.policyVersion)}` +
    `,"requestId":${text(r.requestId)},"targetId":${text(r.targetId)}` +
    `,"targetType":${text(r.targetType)},"workspaceId":${quote(r.workspaceId)}}`
  );
}

/** hash = SHA-256(prev_hash ‖ seq ‖ canonical JSON of the row) (DATA-MODEL.md §2.8). */
export function chainHash(prevHash: Uint8Array, seq: number, row: ChainRow): Buffer {
  return hash("sha256", Buffer.concat([prevHash, Buffer.from(`${seq}\n${canonicalRow(row)}`)]), "buffer");
}
