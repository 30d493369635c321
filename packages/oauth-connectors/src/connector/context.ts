import * as oauth from "oauth4webapi";
import { getProvider } from "../catalog/index.js";
import type { OAuthConfig, ProviderDefinition } from "../catalog/schema.js";
import { connectorError } from "../error-mapping.js";
import type { OAuthOperation } from "../errors.js";
import { createProviderFetch, type FetchLike, type HttpOptions, httpOptions } from "../fetch.js";
import type { IdentityContext } from "./identity.js";
import type { CreateOAuthConnectorOptions } from "./types.js";

const DEFAULT_TIMEOUT_MS = 10_000;

/** Everything the connector's operations share, resolved once from the options. */
export interface ConnectorContext {
  provider: ProviderDefinition;
  config: OAuthConfig;
  client: oauth.Client;
  redirectUri: string;
  now: () => number;
  /** Client authentication for one request; throws ERR_PROVIDER_MISCONFIGURED without a secret. */
  clientAuth(operation: OAuthOperation): oauth.ClientAuth;
  /** oauth4webapi transport options for one operation against this metadata. */
  http(operation: OAuthOperation, as?: oauth.AuthorizationServer): HttpOptions;
  identity(as: oauth.AuthorizationServer): IdentityContext;
  /** Base scopes plus the requested ones, deduplicated, in that order. */
  withBaseScopes(scopes: readonly string[]): string[];
  joinScopes(scopes: readonly string[]): string;
  /** OIDC providers get a nonce; others ignore one (they would return no id token to bind it). */
  usesNonce: boolean;
  recognizedTokenTypes: oauth.RecognizedTokenTypes;
}

export function createConnectorContext(options: CreateOAuthConnectorOptions): ConnectorContext {
  const provider = typeof options.provider === "string" ? getProvider(options.provider) : options.provider;
  if (!provider) throw new TypeError("unknown provider id");
  const config = provider.oauth;
  if (!config) {
    throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", "authorization", {
      reason: "this provider connects with a key, not OAuth",
    });
  }
  if (typeof options.client?.clientId !== "string" || options.client.clientId === "") {
    throw new TypeError("client.clientId is required");
  }
  const baseFetch: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const allowInsecureHttp = options.allowInsecureHttp === true;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const { clientSecret } = options.client;

  const fetchFor = (operation: OAuthOperation, as?: oauth.AuthorizationServer) =>
    createProviderFetch({
      fetch: baseFetch,
      timeoutMs,
      operation,
      grantEndpoints: new Set(
        [as?.token_endpoint, as?.revocation_endpoint, as?.device_authorization_endpoint].filter(
          (url) => url !== undefined,
        ),
      ),
      jsonTokenRequest: config.quirks.jsonTokenRequest,
      errorsWithStatus200: config.quirks.errorsWithStatus200,
    });

  const ctx: ConnectorContext = {
    provider,
    config,
    client: { client_id: options.client.clientId },
    redirectUri: options.redirectUri,
    now: options.now ?? Date.now,
    clientAuth(operation) {
      if (config.clientAuth === "none") return oauth.None();
      if (!clientSecret) {
        throw connectorError("ERR_PROVIDER_MISCONFIGURED", operation, {
          reason: "the client secret is missing",
        });
      }
      return config.clientAuth === "client_secret_post"
        ? oauth.ClientSecretPost(clientSecret)
        : oauth.ClientSecretBasic(clientSecret);
    },
    http: (operation, as) => httpOptions(fetchFor(operation, as), allowInsecureHttp),
    identity: (as) => ({
      provider,
      as,
      client: ctx.client,
      fetch: fetchFor("userinfo", as),
      allowInsecureHttp,
    }),
    withBaseScopes: (scopes) => [...new Set([...config.baseScopes, ...scopes])],
    joinScopes: (scopes) => scopes.join(config.scopeSeparator),
    usesNonce: config.baseScopes.includes("openid"),
    recognizedTokenTypes: Object.fromEntries(config.tokenTypes.map((type) => [type, () => undefined])),
  };
  return ctx;
}
