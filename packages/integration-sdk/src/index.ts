export {
  MemoryPendingStore,
  type PendingEntry,
  type PendingStore,
  VaultActionProxy,
} from "./action-proxy.js";
export { ApprovalWatcher, type ApprovalWatcherOptions } from "./approval-watcher.js";
export {
  envFallback,
  staticFallback,
  VAULT_LLM_PROVIDERS,
  VaultCredentialProvider,
  type VaultCredentialProviderOptions,
  vaultLlmBaseUrl,
} from "./credential-provider.js";
export { type ConnectionsSummary, describeConnections, formatConnections } from "./describe.js";
export { type ExplainedError, explainError } from "./hints.js";
export { startTokenRenewal, type TokenRenewalOptions } from "./token-renewal.js";
export type * from "./types.js";
