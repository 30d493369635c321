import { createHash, timingSafeEqual } from "node:crypto";
import * as oauth from "oauth4webapi";
import { connectorError, toConnectorError } from "../error-mapping.js";
import { createConnectorContext } from "./context.js";
import { pollDeviceAuthorization, startDeviceAuthorization } from "./device.js";
import { finishGrant } from "./grant.js";
import { fetchProfile } from "./identity.js";
import { discoverMetadata, staticMetadata } from "./metadata.js";
import { toTokenSet } from "./tokens.js";
import type {
  AccountIdentity,
  AuthorizationUrlRequest,
  CodeExchangeRequest,
  CreateOAuthConnectorOptions,
  OAuthConnector,
  RefreshOptions,
  RevokeResult,
  TokenSet,
} from "./types.js";

/** Set by the connector only: `extraParams` and catalog parameters can never supply them. */
const PROTOCOL_PARAMS = ["client_id", "redirect_uri", "response_type", "scope", "state", "nonce"];

/**
 * An OAuthConnector on oauth4webapi for one provider and one OAuth client. See `types.ts` for
 * the contract; this file wires the grants, `device.ts` the RFC 8628 polling.
 */
export function createOAuthConnector(options: CreateOAuthConnectorOptions): OAuthConnector {
  const ctx = createConnectorContext(options);
  const { provider, config } = ctx;
  let metadata: Promise<oauth.AuthorizationServer> | undefined;

  function discover(): Promise<oauth.AuthorizationServer> {
    metadata ??= loadMetadata().catch((error: unknown) => {
      metadata = undefined; // a provider outage must not poison the cache
      throw error;
    });
    return metadata;
  }
  async function loadMetadata(): Promise<oauth.AuthorizationServer> {
    if (!config.discovery) return staticMetadata(provider, options.client.tenantId);
    return discoverMetadata(config.discovery, ctx.http("discovery"));
  }

  async function buildAuthorizationUrl(request: AuthorizationUrlRequest): Promise<URL> {
    const as = await discover();
    if (!provider.authTypes.includes("oauth") || !as.authorization_endpoint) {
      throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", "authorization");
    }
    const url = new URL(as.authorization_endpoint);
    const params = { ...config.authorizationParams, ...request.extraParams };
    for (const [key, value] of Object.entries(params)) {
      const reserved = PROTOCOL_PARAMS.includes(key) || key.startsWith("code_challenge");
      if (!reserved) url.searchParams.set(key, value);
    }
    url.searchParams.set("client_id", ctx.client.client_id);
    url.searchParams.set("redirect_uri", ctx.redirectUri);
    url.searchParams.set("response_type", "code");
    const scopes = ctx.withBaseScopes(request.scopes);
    if (scopes.length > 0) url.searchParams.set("scope", ctx.joinScopes(scopes));
    url.searchParams.set("state", request.state);
    if (provider.capabilities.pkce) {
      const verifier = requireVerifier(request.codeVerifier);
      url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(verifier));
      url.searchParams.set("code_challenge_method", "S256");
    }
    if (ctx.usesNonce && request.nonce !== undefined) url.searchParams.set("nonce", request.nonce);
    return url;
  }

  async function exchangeCode(request: CodeExchangeRequest): Promise<TokenSet> {
    const as = await discover();
    const params = callbackParams(request);
    // State first: a forged callback, success or error, is refused before anything else is read.
    if (!sameSecret(params.get("state"), request.expectedState)) {
      throw connectorError("ERR_STATE_MISMATCH", "authorization");
    }
    // RFC 9207: checked by oauth4webapi against the issuer; see metadata.ts for static providers.
    if (config.endpoints && !config.endpoints.issuer) params.delete("iss");
    let validated: URLSearchParams;
    try {
      validated = oauth.validateAuthResponse(as, ctx.client, params, request.expectedState);
    } catch (error) {
      throw toConnectorError(error, "authorization", config.errorAliases);
    }
    const verifier = provider.capabilities.pkce ? requireVerifier(request.codeVerifier) : oauth.nopkce;
    const nonce = ctx.usesNonce ? request.nonce : undefined;
    let response: oauth.TokenEndpointResponse;
    try {
      const res = await oauth.authorizationCodeGrantRequest(
        as,
        ctx.client,
        ctx.clientAuth("code_exchange"),
        validated,
        ctx.redirectUri,
        verifier,
        ctx.http("code_exchange", as),
      );
      response = await oauth.processAuthorizationCodeResponse(as, ctx.client, res, {
        expectedNonce: nonce ?? oauth.expectNoNonce,
        requireIdToken: nonce !== undefined,
        recognizedTokenTypes: ctx.recognizedTokenTypes,
      });
    } catch (error) {
      throw toConnectorError(error, "code_exchange", config.errorAliases);
    }
    const requested = request.requestedScopes ? ctx.withBaseScopes(request.requestedScopes) : undefined;
    return finishGrant(ctx, as, response, requested);
  }

  async function refresh(refreshToken: string, refreshOptions: RefreshOptions = {}): Promise<TokenSet> {
    const narrowed = refreshOptions.scopes;
    if (narrowed && !provider.capabilities.scopeNarrowing) {
      throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", "refresh", {
        reason: "the provider cannot narrow scopes on refresh",
      });
    }
    const as = await discover();
    let response: oauth.TokenEndpointResponse;
    try {
      const res = await oauth.refreshTokenGrantRequest(
        as,
        ctx.client,
        ctx.clientAuth("refresh"),
        refreshToken,
        {
          ...ctx.http("refresh", as),
          additionalParameters: narrowed ? { scope: ctx.joinScopes(narrowed) } : undefined,
        },
      );
      response = await oauth.processRefreshTokenResponse(as, ctx.client, res, {
        recognizedTokenTypes: ctx.recognizedTokenTypes,
      });
    } catch (error) {
      throw toConnectorError(error, "refresh", config.errorAliases);
    }
    const tokens = toTokenSet({
      response,
      separator: config.scopeSeparator,
      nowMs: ctx.now(),
      fallbackScopes: narrowed ?? refreshOptions.grantedScopes,
    });
    // Servers that do not rotate omit refresh_token: the old one stays valid and is kept.
    const rotated = typeof response.refresh_token === "string" && response.refresh_token !== refreshToken;
    tokens.refreshToken = rotated ? response.refresh_token : refreshToken;
    tokens.refreshTokenRotated = rotated;
    const claims = oauth.getValidatedIdTokenClaims(response);
    if (claims?.sub) tokens.providerAccountId = claims.sub;
    return tokens;
  }

  async function revoke(token: string, hint?: "access_token" | "refresh_token"): Promise<RevokeResult> {
    if (!provider.capabilities.revoke) return { revoked: false, reason: "not_supported" };
    const as = await discover();
    if (!as.revocation_endpoint) return { revoked: false, reason: "not_supported" };
    try {
      const res = await oauth.revocationRequest(as, ctx.client, ctx.clientAuth("revoke"), token, {
        ...ctx.http("revoke", as),
        additionalParameters: hint ? { token_type_hint: hint } : undefined,
      });
      await oauth.processRevocationResponse(res);
      return { revoked: true };
    } catch (error) {
      throw toConnectorError(error, "revoke", config.errorAliases);
    }
  }

  async function userInfo(accessToken: string): Promise<AccountIdentity> {
    const found = await fetchProfile(ctx.identity(await discover()), accessToken);
    if (found.providerAccountId === undefined) {
      throw connectorError("ERR_PROVIDER_INVALID_RESPONSE", "userinfo", {
        reason: "the provider did not identify the account",
      });
    }
    return { ...found, providerAccountId: found.providerAccountId };
  }

  return {
    provider,
    discover,
    buildAuthorizationUrl,
    exchangeCode,
    refresh,
    revoke,
    userInfo,
    startDeviceAuthorization: async (request) =>
      startDeviceAuthorization(ctx, await discover(), request.scopes),
    pollDeviceAuthorization: async (deviceCode, pollOptions = {}) =>
      pollDeviceAuthorization(ctx, await discover(), deviceCode, pollOptions),
  };
}

function requireVerifier(verifier: string | undefined): string {
  if (typeof verifier !== "string" || verifier === "") {
    throw new TypeError("codeVerifier is required: this provider uses PKCE (generateCodeVerifier())");
  }
  return verifier;
}

function callbackParams(request: CodeExchangeRequest): URLSearchParams {
  if (request.callbackUrl !== undefined)
    return new URLSearchParams(new URL(request.callbackUrl).searchParams);
  if (request.params !== undefined) return new URLSearchParams(request.params);
  throw new TypeError("give callbackUrl or params");
}

/** Constant-time comparison of two secrets of any length (both hashed first). */
function sameSecret(received: string | null, expected: string): boolean {
  if (received === null || typeof expected !== "string" || expected === "") return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}
