import {
  type ProviderCapabilities,
  type ProviderDefinition,
  ProviderDefinitionSchema,
  type ServiceDefinition,
} from "./schema.js";

export interface OidcProviderOptions {
  /** Catalog-style id for this provider (e.g. `acme-sso`); also prefixes its one service id. */
  id: string;
  label: string;
  /** Issuer URL: metadata comes from OIDC discovery (or RFC 8414 with `algorithm: "oauth2"`). */
  issuer: string;
  algorithm?: "oidc" | "oauth2";
  /** Service scopes: requested when the caller names none, and the allow-list otherwise. */
  defaultScopes?: string[];
  allowedScopes?: string[];
  /** Always requested; default `openid email profile` for OIDC, nothing for plain OAuth 2. */
  baseScopes?: string[];
  /** https origins of the API this provider's tokens open (the Model B allowlist); at least one. */
  apiOrigins: string[];
  clientAuth?: "client_secret_basic" | "client_secret_post" | "none";
  /** Overrides; the defaults assume a modern server (PKCE, refresh, revocation, no device flow). */
  capabilities?: Partial<ProviderCapabilities>;
}

/**
 * A provider configured at runtime from an issuer (a workspace's own Keycloak, Okta, Auth0…).
 * The result is validated by the same schema as the built-in catalog; endpoints the server does
 * not publish simply make the matching connector call answer ERR_PROVIDER_NOT_SUPPORTED or a
 * no-op revoke. Throws a ZodError naming the bad option.
 */
export function defineOidcProvider(options: OidcProviderOptions): ProviderDefinition {
  const algorithm = options.algorithm ?? "oidc";
  const capabilities: ProviderCapabilities = {
    pkce: true,
    deviceFlow: false,
    refresh: true,
    revoke: true,
    refreshTokenRotation: false,
    scopeNarrowing: true,
    issuesShortLivedTokens: true,
    ...options.capabilities,
  };
  const service: ServiceDefinition = {
    id: `${options.id}-api`,
    label: options.label,
    defaultScopes: options.defaultScopes ?? [],
    allowedScopes: options.allowedScopes ?? options.defaultScopes ?? [],
    apiOrigins: options.apiOrigins,
  };
  const parsed = ProviderDefinitionSchema.parse({
    id: options.id,
    label: options.label,
    authTypes: capabilities.deviceFlow ? ["oauth", "device"] : ["oauth"],
    capabilities,
    oauth: {
      discovery: { issuer: options.issuer, algorithm },
      clientAuth: options.clientAuth ?? "client_secret_basic",
      baseScopes: options.baseScopes ?? (algorithm === "oidc" ? ["openid", "email", "profile"] : []),
      identity: { profile: {} },
    },
    injection: { in: "header", name: "authorization", scheme: "Bearer" },
    services: [service],
  });
  return parsed;
}
