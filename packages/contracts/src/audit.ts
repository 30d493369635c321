import { z } from "zod";
import { pageSchema } from "./pagination.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const AuditEventSchema = z.object({
  id: uuid,
  seq: z.number().int().nullable(),
  occurredAt: z.string(),
  workspaceId: uuid,
  actor: z.object({ kind: z.enum(["user", "agent", "system"]), id: uuid.nullable() }),
  action: z.string(),
  target: z.object({ type: z.string(), id: uuid.nullable() }).nullable(),
  agentId: uuid.nullable(),
  connectionId: uuid.nullable(),
  policyId: uuid.nullable(),
  policyVersion: z.number().int().nullable(),
  decision: z.enum(["allow", "deny", "require_approval"]).nullable(),
  outcome: z.enum(["success", "failure", "error"]),
  code: z.string().nullable(),
  providerStatus: z.number().int().nullable(),
  durationMs: z.number().int().nullable(),
  requestId: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  hash: z.string().nullable(),
  prevHash: z.string().nullable(),
});
export type AuditEvent = z.infer<typeof AuditEventSchema>;
export const AuditEventListSchema = pageSchema(AuditEventSchema);

const instant = z.iso.datetime({ offset: true });
/** Filters of GET /v1/audit and /v1/audit/export (API.md §3.13). */
export const AuditFilterSchema = z.strictObject({
  agentId: uuid.optional(),
  connectionId: uuid.optional(),
  actorId: uuid.optional(),
  action: z.union([z.string().max(100), z.array(z.string().max(100)).max(20)]).optional(),
  decision: z.enum(["allow", "deny", "require_approval"]).optional(),
  from: instant.optional(),
  to: instant.optional(),
  requestId: z.string().max(64).optional(),
});
export const AuditListQuerySchema = AuditFilterSchema.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});
export const AuditExportQuerySchema = AuditFilterSchema.extend({ format: z.enum(["csv", "ndjson"]) });

export const AuditVerifyResponseSchema = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  firstSeq: z.number().int().nullable(),
  lastSeq: z.number().int().nullable(),
  brokenAt: z.object({ seq: z.number().int(), id: z.string() }).optional(),
});
