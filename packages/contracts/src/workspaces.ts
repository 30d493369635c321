import { z } from "zod";
import { pageSchema } from "./pagination.js";
import { WorkspaceRoleSchema } from "./scopes.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const name = z.string().trim().min(1).max(100);

export const WorkspaceSettingsSchema = z.strictObject({
  approvalTtlSeconds: z.number().int().min(60).max(86_400).default(900),
  defaultAgentTokenTtlSeconds: z.number().int().min(300).max(86_400).default(7200),
  /** Audit rows older than this are purged (sealed rows only; the chain stays verifiable). */
  auditRetentionDays: z.number().int().min(30).max(3650).default(365),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettingsSchema>;

export const WorkspaceSchema = z.object({
  id: uuid,
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  settings: z.object({
    approvalTtlSeconds: z.number().int(),
    defaultAgentTokenTtlSeconds: z.number().int(),
    auditRetentionDays: z.number().int(),
  }),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

export const WorkspaceSummarySchema = z.object({ id: uuid, name: z.string(), role: WorkspaceRoleSchema });
export const WorkspaceListSchema = pageSchema(WorkspaceSummarySchema);

export const CreateWorkspaceRequestSchema = z.strictObject({ name });
export const UpdateWorkspaceRequestSchema = z.strictObject({
  name: name.optional(),
  settings: WorkspaceSettingsSchema.partial().strict().optional(),
});
export const DeleteWorkspaceRequestSchema = z.strictObject({ confirmName: z.string() });

export const MemberSchema = z.object({
  userId: uuid,
  email: z.string(),
  name: z.string(),
  role: WorkspaceRoleSchema,
  joinedAt: z.string(),
});
export type Member = z.infer<typeof MemberSchema>;
export const MemberListSchema = pageSchema(MemberSchema);
export const UpdateMemberRequestSchema = z.strictObject({ role: WorkspaceRoleSchema });

export const INVITATION_STATUSES = ["pending", "accepted", "revoked", "expired"] as const;
export const InvitationStatusSchema = z.enum(INVITATION_STATUSES);
export const InvitationSchema = z.object({
  id: uuid,
  email: z.string(),
  role: WorkspaceRoleSchema,
  status: InvitationStatusSchema,
  expiresAt: z.string(),
  invitedBy: uuid.nullable(),
  createdAt: z.string(),
});
export type Invitation = z.infer<typeof InvitationSchema>;
export const InvitationListSchema = pageSchema(InvitationSchema);
export const CreateInvitationRequestSchema = z.strictObject({
  email: z.email().max(254),
  role: WorkspaceRoleSchema,
});
export const AcceptInvitationRequestSchema = z.strictObject({ token: z.string().min(1).max(200) });
export const AcceptInvitationResponseSchema = z.object({ workspaceId: uuid, role: WorkspaceRoleSchema });
