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

/** JSON with object keys sorted at every depth: the same row always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(storable(value));
  if (value === null || typeof value !== "object") return JSON.stringify(value ?? null);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(storable(k))}:${canonicalJson(obj[k])}`)
    .join(",")}}`;
}

/** The row's fields in canonical (sorted) order, each with its JSON key and colon. */
const ROW_FIELDS = (
  [
    "id",
    "workspaceId",
    "occurredAt",
    "actorType",
    "actorId",
    "action",
    "targetType",
    "targetId",
    "agentId",
    "connectionId",
    "policyId",
    "policyVersion",
    "decision",
    "outcome",
    "code",
    "httpStatus",
    "latencyMs",
    "requestId",
    "details",
  ] satisfies (keyof ChainRow)[]
)
  .sort()
  .map((field) => ({ field, prefix: `${JSON.stringify(field)}:` }));

/** `canonicalJson` of the row's hashed fields, without building the intermediate object. */
export function canonicalRow(row: ChainRow): string {
  let out = "";
  for (const { field, prefix } of ROW_FIELDS) {
    const value = row[field];
    if (value === undefined) continue;
    out += `${out === "" ? "{" : ","}${prefix}${canonicalJson(value)}`;
  }
  return out === "" ? "{}" : `${out}}`;
}

/** hash = SHA-256(prev_hash ‖ seq ‖ canonical JSON of the row) (DATA-MODEL.md §2.8). */
export function chainHash(prevHash: Uint8Array, seq: number, row: ChainRow): Buffer {
  return hash("sha256", Buffer.concat([prevHash, Buffer.from(`${seq}\n${canonicalRow(row)}`)]), "buffer");
}
