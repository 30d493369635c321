export { createApiKeyVerifier } from "./api-key-verifier.js";
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
