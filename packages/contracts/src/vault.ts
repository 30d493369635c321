import { z } from "zod";
import { pageSchema } from "./pagination.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const HTTP_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** POST /v1/vault/execute (API.md §3.9). */
export const VaultExecuteRequestSchema = z
  .strictObject({
    model: z.enum(["A", "B"]),
    connectionId: uuid,
    scopes: z.array(z.string().max(200)).max(50).optional(),
    method: z.enum(HTTP_METHODS).optional(),
    url: z.string().min(1).max(8192).optional(),
    query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
    headers: z.record(z.string(), z.string().max(8192)).optional(),
    body: z.unknown().optional(),
    bodyBase64: z.string().optional(),
    stream: z.boolean().optional(),
    download: z.boolean().optional(),
    approvalId: uuid.optional(),
  })
  .refine((v) => v.model === "A" || (v.method !== undefined && v.url !== undefined), {
    message: "method and url are required for model B",
    path: ["url"],
  })
  .refine((v) => v.body === undefined || v.bodyBase64 === undefined, {
    message: "send body or bodyBase64, not both",
    path: ["bodyBase64"],
  });
export type VaultExecuteRequest = z.infer<typeof VaultExecuteRequestSchema>;

export const APPROVAL_STATUSES = ["pending", "approved", "denied", "expired", "consumed"] as const;
export const ApprovalStatusSchema = z.enum(APPROVAL_STATUSES);

export const ApprovalSchema = z.object({
  id: uuid,
  agentId: uuid,
  agentName: z.string(),
  connectionId: uuid,
  policyId: uuid,
  policyVersion: z.number().int(),
  model: z.enum(["A", "B"]),
  status: ApprovalStatusSchema,
  reason: z.string(),
  ruleId: z.string().nullable(),
  request: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  expiresAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: uuid.nullable(),
  decisionChannel: z.string().nullable(),
  consumedAt: z.string().nullable(),
});
export type Approval = z.infer<typeof ApprovalSchema>;
export const ApprovalListSchema = pageSchema(ApprovalSchema);
export const ApprovalListQuerySchema = z.strictObject({
  status: ApprovalStatusSchema.optional(),
  agentId: uuid.optional(),
  connectionId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});
export const ApprovalDecisionRequestSchema = z.strictObject({ note: z.string().max(500).optional() });
