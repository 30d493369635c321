import { z } from "zod";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/** Model A answer (API.md §3.9.1): a short-lived, narrowed provider token. */
export const VaultModelAResultSchema = z.object({
  model: z.literal("A"),
  accessToken: z.string(),
  tokenType: z.string(),
  expiresIn: z.number().int(),
  scopes: z.array(z.string()),
  connectionId: uuid,
  auditId: uuid,
});
export type VaultModelAResult = z.infer<typeof VaultModelAResultSchema>;

/** Model B buffered envelope (API.md §3.9.2): provider errors are data (`status`), not our errors. */
export const VaultModelBResultSchema = z.object({
  model: z.literal("B"),
  status: z.number().int(),
  headers: z.record(z.string(), z.string()),
  body: z.unknown().optional(),
  bodyBase64: z.string().optional(),
  truncated: z.boolean(),
  auditId: uuid,
  redactions: z.array(z.record(z.string(), z.unknown())).optional(),
});
export type VaultModelBResult = z.infer<typeof VaultModelBResultSchema>;

/** HTTP 202 (API.md §3.9.4): a person must approve; resend the identical request with `approvalId`. */
export const VaultApprovalRequiredSchema = z.object({
  approvalRequired: z.literal(true),
  approvalRequestId: uuid,
  expiresAt: z.string(),
  reason: z.string(),
  hint: z.string(),
  ruleId: z.string().nullable(),
  code: z.literal("APPROVAL_REQUIRED"),
  requestId: z.string(),
  auditId: z.string().optional(),
});
export type VaultApprovalRequired = z.infer<typeof VaultApprovalRequiredSchema>;
