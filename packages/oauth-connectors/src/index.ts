export {
  type ApiCredential,
  allowedOrigins,
  type InjectedRequest,
  injectCredential,
  type ProviderRequest,
} from "./api-keys/inject.js";
export { type VerifyApiKeyOptions, type VerifyApiKeyResult, verifyApiKey } from "./api-keys/verify.js";
export { type ActionTemplate, getActionTemplate, listActionTemplates } from "./catalog/actions.js";
export { defineOidcProvider, type OidcProviderOptions } from "./catalog/generic-oidc.js";
export { getProvider, getService, listProviders, resolveServiceScopes } from "./catalog/index.js";
export {
  type AuthType,
  AuthTypeSchema,
  type CredentialInjection,
  type ProviderCapabilities,
  ProviderCapabilitiesSchema,
  type ProviderDefinition,
  type ProviderDefinitionInput,
  ProviderDefinitionSchema,
  type ServiceDefinition,
  type VerificationRequest,
} from "./catalog/schema.js";
export { createOAuthConnector } from "./connector/connector.js";
export type {
  AccountIdentity,
  AuthorizationUrlRequest,
  CodeExchangeRequest,
  CreateOAuthConnectorOptions,
  DeviceAuthorization,
  DevicePollResult,
  OAuthClientConfig,
  OAuthConnector,
  ProviderMetadata,
  RawTokenExtras,
  RefreshOptions,
  RevokeResult,
  TokenSet,
} from "./connector/types.js";
export {
  isOAuthConnectorError,
  OAuthConnectorError,
  type OAuthConnectorErrorCode,
  type OAuthOperation,
} from "./errors.js";
export type { FetchLike } from "./fetch.js";
export { generateCodeVerifier, generateNonce, generateState } from "./pkce.js";
