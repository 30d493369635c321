import { z } from "zod";
import { pageSchema } from "./pagination.js";
import { PolicyTierSchema } from "./policies-api.js";
import { ExecutionModelSchema } from "./policy.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const PERMISSION_REQUEST_STATUSES = ["pending", "approved", "denied", "expired", "withdrawn"] as const;
export const PermissionRequestStatusSchema = z.enum(PERMISSION_REQUEST_STATUSES);

/** An agent's request for a capability it lacks (API.md §3.12). */
export const PermissionRequestSchema = z.object({
  id: uuid,
  agentId: uuid,
  agentName: z.string(),
  actionTemplateId: z.string(),
  connectionId: uuid.nullable(),
  reason: z.string(),
  status: PermissionRequestStatusSchema,
  policyId: uuid.nullable(),
  createdAt: z.string(),
  decidedAt: z.string().nullable(),
  decidedBy: uuid.nullable(),
  comment: z.string().nullable(),
  expiresAt: z.string(),
});
export type PermissionRequest = z.infer<typeof PermissionRequestSchema>;
export const PermissionRequestListSchema = pageSchema(PermissionRequestSchema);

export const CreatePermissionRequestSchema = z.strictObject({
  actionTemplateId: z.string().min(3).max(120),
  connectionId: uuid.optional(),
  reason: z.string().trim().min(1).max(500),
});
export const PermissionRequestListQuerySchema = z.strictObject({
  status: PermissionRequestStatusSchema.optional(),
  agentId: uuid.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});
export const ApprovePermissionRequestSchema = z.strictObject({
  connectionId: uuid,
  tier: PolicyTierSchema.default("standard"),
  comment: z.string().max(500).optional(),
});
export const DenyPermissionRequestSchema = z.strictObject({
  note: z.string().max(500).optional(),
});

/** `GET /v1/capabilities` (API.md §3.6): what exists, what this agent holds, what it asked for. */
export const CapabilitiesSchema = z.object({
  services: z.array(
    z.object({
      id: z.string(),
      provider: z.string(),
      label: z.string(),
      authTypes: z.array(z.string()),
      models: z.array(ExecutionModelSchema),
      actions: z.array(
        z.object({
          id: z.string(),
          label: z.string(),
          description: z.string(),
          requiresApproval: z.boolean(),
        }),
      ),
    }),
  ),
  granted: z.array(
    z.object({
      connectionId: uuid,
      service: z.string(),
      actionTemplateIds: z.array(z.string()),
      approvalRequired: z.array(z.string()),
    }),
  ),
  pendingRequests: z.array(
    z.object({
      id: uuid,
      actionTemplateId: z.string(),
      status: PermissionRequestStatusSchema,
      createdAt: z.string(),
    }),
  ),
});
export type Capabilities = z.infer<typeof CapabilitiesSchema>;
