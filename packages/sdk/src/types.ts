import type {
  AgentBootstrapResponseSchema,
  AgentConnectionSchema,
  AgentDetailSchema,
  AgentMeSchema,
  AgentTokenResponseSchema,
  AuditVerifyResponseSchema,
  BootstrapSecretResponseSchema,
  PermissionRequest,
  PolicyTemplateSchema,
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
  Capabilities,
  CliLoginPollResponse,
  CliLoginStartResponse,
  Connection,
  Page,
  PermissionRequest,
  PersonalAccessToken,
  Policy,
  PolicyTier,
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

export type PermissionRequestStatus = PermissionRequest["status"];
export type PolicyTemplate = z.infer<typeof PolicyTemplateSchema>;

/** Who the client is: the agent, or the person and workspace behind a PAT/JWT. */
export type WhoAmI =
  | { kind: "agent"; agent: AgentMe }
  | { kind: "user"; workspace: Workspace; role: WorkspaceSummary["role"] | undefined };
