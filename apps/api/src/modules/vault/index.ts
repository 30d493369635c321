export { createVaultService, type VaultService } from "./execute.service.js";
export { LLM_UPSTREAMS, llmProxyRoutes } from "./llm-proxy.routes.js";
export type { OutboundClient, OutboundRequest, OutboundResponse } from "./outbound.js";
export { VAULT_BODY_LIMIT, vaultRoutes } from "./vault.routes.js";
export { createConnectionCache } from "./vault-context.js";
