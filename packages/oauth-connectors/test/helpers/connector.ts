import {
  createOAuthConnector,
  defineOidcProvider,
  type FetchLike,
  generateCodeVerifier,
  generateNonce,
  generateState,
  type OAuthConnector,
  type ProviderCapabilities,
} from "../../src/index.js";
import { CLIENT, type OidcTestServer } from "./oidc-server.js";

/** The generic OIDC provider pointed at the test server, with device flow on. */
export function testProvider(issuer: string, capabilities: Partial<ProviderCapabilities> = {}) {
  return defineOidcProvider({
    id: "test-oidc",
    label: "Test OIDC",
    issuer,
    defaultScopes: ["api:read"],
    allowedScopes: ["api:read", "api:write"],
    baseScopes: ["openid", "offline_access", "email", "profile"],
    apiOrigins: ["https://api.example.test"],
    capabilities: { deviceFlow: true, refreshTokenRotation: true, ...capabilities },
  });
}

export function testConnector(
  server: OidcTestServer,
  overrides: { fetch?: FetchLike; clientSecret?: string; capabilities?: Partial<ProviderCapabilities> } = {},
): OAuthConnector {
  return createOAuthConnector({
    provider: testProvider(server.issuer, overrides.capabilities),
    client: { clientId: CLIENT.clientId, clientSecret: overrides.clientSecret ?? CLIENT.clientSecret },
    redirectUri: CLIENT.redirectUri,
    allowInsecureHttp: true,
    ...(overrides.fetch ? { fetch: overrides.fetch } : {}),
  });
}

/** One full authorization-code + PKCE round trip; returns the tokens and the flow's secrets. */
export async function connect(server: OidcTestServer, connector = testConnector(server)) {
  const flow = { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateNonce() };
  const url = await connector.buildAuthorizationUrl({ scopes: ["api:read"], ...flow });
  const callbackUrl = await server.authorize(url);
  const tokens = await connector.exchangeCode({
    callbackUrl,
    expectedState: flow.state,
    codeVerifier: flow.codeVerifier,
    nonce: flow.nonce,
    requestedScopes: ["api:read"],
  });
  return { tokens, callbackUrl, flow };
}
