import { z } from "zod";
import { pageSchema } from "./pagination.js";
import { ExecutionModelSchema, PolicyDocumentSchema } from "./policy.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/** A policy resource (API.md §3.8): one per (agent, connection), versioned. */
export const PolicySchema = z.object({
  id: uuid,
  agentId: uuid,
  connectionId: uuid,
  enabled: z.boolean(),
  version: z.number().int(),
  document: z.record(z.string(), z.unknown()),
  templateId: z.string().nullable(),
  createdBy: uuid.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Policy = z.infer<typeof PolicySchema>;
export const PolicyListSchema = pageSchema(PolicySchema);
export const PolicyListQuerySchema = z.strictObject({
  agentId: uuid.optional(),
  connectionId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

export const CreatePolicyRequestSchema = z.strictObject({
  agentId: uuid,
  connectionId: uuid,
  document: PolicyDocumentSchema,
  enabled: z.boolean().optional(),
});
export const POLICY_TIERS = ["strict", "standard", "permissive"] as const;
export const PolicyTierSchema = z.enum(POLICY_TIERS);
export type PolicyTier = z.infer<typeof PolicyTierSchema>;

/** `POST /v1/policies` from a preset: `templateId` is the connection's service id. */
export const CreatePolicyFromTemplateRequestSchema = z.strictObject({
  agentId: uuid,
  connectionId: uuid,
  templateId: z.string().min(1).max(100),
  tier: PolicyTierSchema,
  enabled: z.boolean().optional(),
});

export const ActionTemplateSchema = z.object({
  id: z.string(),
  label: z.string(),
  description: z.string(),
  kind: z.enum(["read", "write", "delete"]),
});

export const PolicyTemplateSchema = z.object({
  id: z.string(),
  provider: z.string(),
  service: z.string(),
  label: z.string(),
  description: z.string(),
  tiers: z.array(PolicyTierSchema),
  models: z.array(ExecutionModelSchema),
  actions: z.array(ActionTemplateSchema),
  preview: z.record(z.string(), z.unknown()),
});
export const PolicyTemplateListSchema = z.object({ items: z.array(PolicyTemplateSchema) });
export const PolicyTemplateQuerySchema = z.strictObject({
  provider: z.string().max(100).optional(),
  service: z.string().max(100).optional(),
});

export const ReplacePolicyRequestSchema = z.strictObject({
  document: PolicyDocumentSchema,
  enabled: z.boolean().optional(),
  /** Required unless an `If-Match: "v<n>"` header is sent. */
  version: z.number().int().min(1).optional(),
});

export const PolicyVersionSchema = z.object({
  version: z.number().int(),
  document: z.record(z.string(), z.unknown()),
  change: z.string(),
  changedBy: uuid.nullable(),
  changedAt: z.string(),
});
export const PolicyVersionListSchema = pageSchema(PolicyVersionSchema);

export const SimulateRequestSchema = z
  .strictObject({
    policyId: uuid.optional(),
    policy: z.unknown().optional(),
    request: z.strictObject({
      model: ExecutionModelSchema,
      method: z.string().max(10).optional(),
      url: z.string().max(8192).optional(),
      query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
      headers: z.record(z.string(), z.string()).optional(),
      bodySample: z.unknown().optional(),
      at: z.iso.datetime({ offset: true }).optional(),
    }),
    responseSample: z
      .strictObject({
        status: z.number().int().optional(),
        contentType: z.string().optional(),
        body: z.unknown(),
      })
      .optional(),
  })
  .refine((v) => (v.policyId === undefined) !== (v.policy === undefined), {
    message: "give exactly one of policyId and policy",
    path: ["policyId"],
  });

export const SimulateResponseSchema = z.object({
  decision: z.enum(["allow", "deny", "require_approval"]),
  code: z.string().optional(),
  ruleId: z.string().optional(),
  reason: z.string(),
  hint: z.string().optional(),
  shadow: z.array(z.object({ ruleId: z.string(), wouldBe: z.string() })),
  redactions: z.array(z.object({ path: z.string(), type: z.string() })).optional(),
  filteredBody: z.unknown().optional(),
});
