import type { AuthorizationServer } from "oauth4webapi";
import type { ProviderDefinition } from "../catalog/schema.js";
import type { FetchLike } from "../fetch.js";

/** The provider metadata a connector works from (discovered or built from static endpoints). */
export type ProviderMetadata = AuthorizationServer;

/** Non-secret JSON the provider returned beside the tokens (team, workspace, bot ids…). */
export type RawTokenExtras = Record<string, unknown>;

/**
 * Provider tokens after a grant: what the API encrypts into `t_connections.credential_envelope`
 * (tokens) and copies into its columns (expiry, scopes, account). `raw` has every key that
 * looks like a token, secret or code removed, at any depth, so it can go into `metadata`.
 */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Lower-cased `token_type` (`bearer`, or e.g. Slack's `bot`). */
  tokenType: string;
  expiresAt?: Date;
  /** From `refresh_token_expires_in` when the provider states one (Google, some Microsoft apps). */
  refreshExpiresAt?: Date;
  /** Granted scopes: the answer's `scope`, else what was requested; empty when unknown. */
  scopes: string[];
  idToken?: string;
  providerAccountId?: string;
  accountEmail?: string;
  accountDisplayName?: string;
  raw?: RawTokenExtras;
  /** Refresh only: true when the server sent a new refresh token (store it, drop the old one). */
  refreshTokenRotated?: boolean;
}

export interface AccountIdentity {
  providerAccountId: string;
  email?: string;
  displayName?: string;
}

export interface OAuthClientConfig {
  clientId: string;
  /** Absent for public clients (`clientAuth: "none"`). Never appears in errors. */
  clientSecret?: string;
  /** Microsoft: the Entra tenant id or `organizations`; defaults to the catalog's (`common`). */
  tenantId?: string;
}

export interface CreateOAuthConnectorOptions {
  /** A catalog provider, its id, or a provider from `defineOidcProvider`. */
  provider: ProviderDefinition | string;
  client: OAuthClientConfig;
  /** The exact callback URL registered at the provider (`…/v1/oauth/{provider}/callback`). */
  redirectUri: string;
  /** Every outbound call goes through it: pass the API's SSRF-guarded fetch. */
  fetch?: FetchLike;
  /** Per request; default 10 000 ms (DATA-MODEL §3.2 refresh timeout). */
  timeoutMs?: number;
  /**
   * Tests only: lets oauth4webapi talk to http:// loopback servers. NEVER set it in production;
   * provider endpoints are https and the API's SSRF guard refuses anything else anyway.
   */
  allowInsecureHttp?: boolean;
  /** Clock for `expiresAt`; default Date.now. */
  now?: () => number;
}

export interface AuthorizationUrlRequest {
  /** Service scopes; the provider's base scopes (openid, offline_access…) are added. */
  scopes: readonly string[];
  state: string;
  /** Required when the provider supports PKCE (S256 is then always sent). */
  codeVerifier?: string;
  nonce?: string;
  /** e.g. `login_hint`; cannot override the protocol parameters above. */
  extraParams?: Readonly<Record<string, string>>;
}

export interface CodeExchangeRequest {
  /** The full callback URL as received, or only its query parameters. */
  callbackUrl?: string | URL;
  params?: URLSearchParams | Readonly<Record<string, string>>;
  expectedState: string;
  codeVerifier?: string;
  nonce?: string;
  /** What was asked for: the granted scopes when the provider does not restate them. */
  requestedScopes?: readonly string[];
}

export interface RefreshOptions {
  /** Ask for fewer scopes (providers with `scopeNarrowing`), e.g. to mint a Model A token. */
  scopes?: readonly string[];
  /** The stored granted scopes, returned when the provider does not restate them. */
  grantedScopes?: readonly string[];
}

export type RevokeResult = { revoked: true } | { revoked: false; reason: "not_supported" };

export interface DeviceAuthorization {
  deviceCode: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresIn: number;
  /** Seconds between polls; RFC 8628 default 5 when the provider says nothing. */
  interval: number;
}

export type DevicePollResult =
  | { status: "pending" }
  | { status: "slow_down"; interval: number }
  | { status: "complete"; tokens: TokenSet }
  | { status: "denied" }
  | { status: "expired" };

/**
 * One provider, one OAuth client. Stateless apart from the cached metadata: state, verifier,
 * nonce and device codes are the caller's to store (encrypted) and pass back. No cookies, no
 * sessions, no retries: the API decides when to call again.
 */
export interface OAuthConnector {
  readonly provider: ProviderDefinition;
  /** Cached after the first success; a failure is not cached. */
  discover(): Promise<ProviderMetadata>;
  buildAuthorizationUrl(request: AuthorizationUrlRequest): Promise<URL>;
  exchangeCode(request: CodeExchangeRequest): Promise<TokenSet>;
  refresh(refreshToken: string, options?: RefreshOptions): Promise<TokenSet>;
  /** RFC 7009; `{ revoked: false }` when the provider has no revocation endpoint. */
  revoke(token: string, hint?: "access_token" | "refresh_token"): Promise<RevokeResult>;
  startDeviceAuthorization(request: { scopes: readonly string[] }): Promise<DeviceAuthorization>;
  /** Exactly one token request. Pass the current interval so slow_down can add 5 s to it. */
  pollDeviceAuthorization(
    deviceCode: string,
    options?: { intervalSeconds?: number; requestedScopes?: readonly string[] },
  ): Promise<DevicePollResult>;
  userInfo(accessToken: string): Promise<AccountIdentity>;
}
