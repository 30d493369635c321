import type {
  AgentBootstrapResponseSchema,
  AgentConnectionSchema,
  AgentDetailSchema,
  AgentMeSchema,
  AgentTokenResponseSchema,
  AuditVerifyResponseSchema,
  BootstrapSecretResponseSchema,
  SimulateRequestSchema,
  SimulateResponseSchema,
  WorkspaceSchema,
  WorkspaceSummarySchema,
} from "@agenthifive/contracts";
import type { z } from "zod";

export type {
  Agent,
  Approval,
  AuditEvent,
  CliLoginPollResponse,
  CliLoginStartResponse,
  Connection,
  Page,
  PersonalAccessToken,
  Policy,
  VaultApprovalRequired,
  VaultExecuteRequest,
  VaultModelAResult,
  VaultModelBResult,
} from "@agenthifive/contracts";

export type AgentBootstrapResult = z.infer<typeof AgentBootstrapResponseSchema>;
export type AgentTokenResult = z.infer<typeof AgentTokenResponseSchema>;
export type AgentMe = z.infer<typeof AgentMeSchema>;
export type AgentConnection = z.infer<typeof AgentConnectionSchema>;
export type AgentDetail = z.infer<typeof AgentDetailSchema>;
export type BootstrapSecret = z.infer<typeof BootstrapSecretResponseSchema>;
export type AuditVerifyResult = z.infer<typeof AuditVerifyResponseSchema>;
export type SimulateRequest = z.input<typeof SimulateRequestSchema>;
export type SimulateResult = z.infer<typeof SimulateResponseSchema>;
export type Workspace = z.infer<typeof WorkspaceSchema>;
export type WorkspaceSummary = z.infer<typeof WorkspaceSummarySchema>;

/** GET /v1/capabilities (API.md §3.6). */
export interface Capabilities {
  services: Array<{
    id: string;
    provider: string;
    authTypes: string[];
    models: Array<"A" | "B">;
    actions: Array<{ id: string; label: string; description: string; requiresApproval: boolean }>;
  }>;
  granted: Array<{ connectionId: string; actionTemplateIds: string[] }>;
  pendingRequests: Array<{ id: string; actionTemplateId: string; status: string; createdAt: string }>;
}

export type PermissionRequestStatus = "pending" | "approved" | "denied" | "expired";

/** API.md §3.12. */
export interface PermissionRequest {
  id: string;
  agentId: string;
  agentName: string;
  actionTemplateId: string;
  connectionId: string | null;
  reason: string;
  status: PermissionRequestStatus;
  policyId: string | null;
  createdAt: string;
  decidedAt: string | null;
  decidedBy: string | null;
  expiresAt: string;
}

/** GET /v1/policy-templates item (API.md §3.8). */
export interface PolicyTemplate {
  id: string;
  provider: string;
  service: string;
  label: string;
  description: string;
  tiers: Array<"strict" | "standard" | "permissive">;
  models: Array<"A" | "B">;
  preview: Record<string, unknown>;
}

export type PolicyTier = "strict" | "standard" | "permissive";

/** Who the client is: the agent, or the person and workspace behind a PAT/JWT. */
export type WhoAmI =
  | { kind: "agent"; agent: AgentMe }
  | { kind: "user"; workspace: Workspace; role: WorkspaceSummary["role"] | undefined };
