export {
  type AgentKey,
  type AgentKeyAlg,
  type AgentKeyFile,
  generateAgentKeyJwk,
  importAgentKey,
  loadOrCreateAgentKeyFile,
  readAgentKeyFile,
  writeAgentKeyFile,
} from "./agent-key.js";
export {
  AgentSelfResource,
  type PermissionRequestInput,
  PermissionRequestsResource,
} from "./agent-resources.js";
export { type AgentAuthOptions, AgentSession } from "./agent-session.js";
export { type ApprovalListFilter, ApprovalsResource, type WaitOptions } from "./approvals.js";
export { CliLoginResource, type CompleteLoginOptions } from "./cli-login.js";
export { AgentHiFiveClient, type AgentHiFiveClientOptions } from "./client.js";
export { AgentHiFiveError, isAgentHiFiveError, parseRetryAfter } from "./errors.js";
export {
  AgentsResource,
  type AuditFilter,
  AuditResource,
  ConnectionsResource,
  PoliciesResource,
} from "./human-resources.js";
export { collect, type PageOptions, paginate } from "./pagination.js";
export {
  type AuthProvider,
  type FetchLike,
  type HttpMethod,
  type RequestOptions,
  Transport,
  type TransportOptions,
} from "./transport.js";
export type * from "./types.js";
export {
  type ExecuteOptions,
  isApprovalRequired,
  type VaultApprovalResult,
  type VaultEnvelopeResult,
  type VaultRawResult,
  VaultResource,
  type VaultResult,
  type VaultStreamResult,
} from "./vault.js";
