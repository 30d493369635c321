export { createApiKeyVerifier } from "./api-key-verifier.js";
export { type ConnectionMaintenance, createConnectionMaintenance } from "./connection-maintenance.service.js";
export { type ConnectionRow, createConnectionRepo } from "./connections.repo.js";
export { connectionRoutes } from "./connections.routes.js";
export { type ConnectionService, createConnectionService, toConnection } from "./connections.service.js";
export {
  type ApiKeyVerifier,
  connectionAad,
  openCredential,
  type StoredCredential,
  type VerifiedKey,
} from "./credential.js";
export { createDeviceFlowService, type DeviceFlowService } from "./device-flow.service.js";
export { GENERIC_PROVIDER_ID, genericProviderFromConfig } from "./generic-provider.js";
export { oauthRoutes } from "./oauth.routes.js";
export { oauthAppRoutes } from "./oauth-apps.routes.js";
export { createOAuthAppService, type OAuthAppService } from "./oauth-apps.service.js";
export {
  createOAuthClientResolver,
  type ExtraOAuthProvider,
  type OAuthClientResolver,
  platformOAuthClients,
} from "./oauth-clients.js";
export { createOAuthConnectionWriter, type OAuthConnectionWriter } from "./oauth-connection-writer.js";
export { createOAuthFlowService, type OAuthFlowService } from "./oauth-flow.service.js";
export { createServiceDirectory, type ServiceDirectory, type ServiceRef } from "./service-directory.js";
export { createTokenRefresher, type FreshCredential, type TokenRefresher } from "./token-refresh.js";
