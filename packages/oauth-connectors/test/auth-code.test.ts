import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateCodeVerifier, generateNonce, generateState, isOAuthConnectorError } from "../src/index.js";
import { connect, testConnector } from "./helpers/connector.js";
import { ACCOUNT, CLIENT, type OidcTestServer, startOidcServer } from "./helpers/oidc-server.js";
import { rejection } from "./helpers/rejection.js";

let server: OidcTestServer;
beforeAll(async () => {
  server = await startOidcServer();
});
afterAll(() => server.close());

function tokenRequests(): number {
  return server.requests.filter((r) => r.path === "/token").length;
}

describe("authorization code + PKCE, end to end over HTTP", () => {
  it("builds a PKCE S256 authorization URL with state, nonce and the base scopes", async () => {
    const connector = testConnector(server);
    const flow = { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateNonce() };
    const url = await connector.buildAuthorizationUrl({ scopes: ["api:read"], ...flow });
    expect(url.origin + url.pathname).toBe(`${server.issuer}/auth`);
    const params = url.searchParams;
    expect(params.get("client_id")).toBe(CLIENT.clientId);
    expect(params.get("redirect_uri")).toBe(CLIENT.redirectUri);
    expect(params.get("response_type")).toBe("code");
    expect(params.get("scope")).toBe("openid offline_access email profile api:read");
    expect(params.get("state")).toBe(flow.state);
    expect(params.get("nonce")).toBe(flow.nonce);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(params.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.get("code_challenge")).not.toBe(flow.codeVerifier);
  });

  it("exchanges the code and returns tokens, expiry, scopes and the account", async () => {
    const before = Date.now();
    const { tokens } = await connect(server);
    expect(tokens.accessToken).toEqual(expect.any(String));
    expect(tokens.refreshToken).toEqual(expect.any(String));
    expect(tokens.idToken).toEqual(expect.any(String));
    expect(tokens.tokenType).toBe("bearer");
    expect(tokens.scopes).toEqual(expect.arrayContaining(["openid", "email", "profile", "api:read"]));
    expect(tokens.expiresAt?.getTime()).toBeGreaterThanOrEqual(before + 3_500_000);
    // sub from the ID token; email and name from the userinfo endpoint.
    expect(tokens.providerAccountId).toBe(ACCOUNT.sub);
    expect(tokens.accountEmail).toBe(ACCOUNT.email);
    expect(tokens.accountDisplayName).toBe(ACCOUNT.name);
    expect(JSON.stringify(tokens.raw ?? {})).not.toMatch(/token|code/i);
  });

  it("accepts the callback as parameters instead of a URL", async () => {
    const connector = testConnector(server);
    const flow = { state: generateState(), codeVerifier: generateCodeVerifier() };
    const callbackUrl = await server.authorize(
      await connector.buildAuthorizationUrl({ scopes: [], ...flow }),
    );
    const params = Object.fromEntries(callbackUrl.searchParams);
    const tokens = await connector.exchangeCode({
      params,
      expectedState: flow.state,
      codeVerifier: flow.codeVerifier,
    });
    expect(tokens.providerAccountId).toBe(ACCOUNT.sub);
  });

  it("never sends a cookie on its own calls (no web session state)", async () => {
    await connect(server);
    const own = server.requests.filter((r) => !r.fromBrowser);
    expect(own.map((r) => r.path)).toEqual(
      expect.arrayContaining(["/.well-known/openid-configuration", "/token", "/me"]),
    );
    expect(own.every((r) => !r.hasCookie)).toBe(true);
  });

  it("returns the account from userInfo()", async () => {
    const connector = testConnector(server);
    const { tokens } = await connect(server, connector);
    await expect(connector.userInfo(tokens.accessToken)).resolves.toEqual({
      providerAccountId: ACCOUNT.sub,
      email: ACCOUNT.email,
      displayName: ACCOUNT.name,
    });
  });
});

describe("callback validation", () => {
  async function callback() {
    const connector = testConnector(server);
    const flow = { state: generateState(), codeVerifier: generateCodeVerifier(), nonce: generateNonce() };
    const callbackUrl = await server.authorize(
      await connector.buildAuthorizationUrl({ scopes: [], ...flow }),
    );
    return { connector, flow, callbackUrl };
  }

  it("refuses a wrong state before any token request", async () => {
    const { connector, flow, callbackUrl } = await callback();
    const before = tokenRequests();
    const error = await rejection(
      connector.exchangeCode({
        callbackUrl,
        expectedState: generateState(),
        codeVerifier: flow.codeVerifier,
      }),
    );
    expect(error.code).toBe("ERR_STATE_MISMATCH");
    expect(tokenRequests()).toBe(before);
  });

  it("refuses a callback without state", async () => {
    const { connector, flow, callbackUrl } = await callback();
    callbackUrl.searchParams.delete("state");
    const error = await rejection(
      connector.exchangeCode({ callbackUrl, expectedState: flow.state, codeVerifier: flow.codeVerifier }),
    );
    expect(error.code).toBe("ERR_STATE_MISMATCH");
  });

  it("refuses a replayed callback: the code is single use", async () => {
    const { connector, flow, callbackUrl } = await callback();
    const request = {
      callbackUrl,
      expectedState: flow.state,
      codeVerifier: flow.codeVerifier,
      nonce: flow.nonce,
    };
    await connector.exchangeCode(request);
    const error = await rejection(connector.exchangeCode(request));
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
    expect(error.providerError).toBe("invalid_grant");
    expect(error.operation).toBe("code_exchange");
  });

  it("refuses the code with another PKCE verifier", async () => {
    const { connector, flow, callbackUrl } = await callback();
    const error = await rejection(
      connector.exchangeCode({
        callbackUrl,
        expectedState: flow.state,
        codeVerifier: generateCodeVerifier(),
      }),
    );
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
  });

  it("checks the RFC 9207 iss parameter: wrong or missing is refused", async () => {
    const { connector, flow, callbackUrl } = await callback();
    expect(callbackUrl.searchParams.get("iss")).toBe(server.issuer);
    const forged = new URL(callbackUrl);
    forged.searchParams.set("iss", "https://attacker.example");
    const request = { expectedState: flow.state, codeVerifier: flow.codeVerifier, nonce: flow.nonce };
    expect((await rejection(connector.exchangeCode({ ...request, callbackUrl: forged }))).code).toBe(
      "ERR_PROVIDER_INVALID_RESPONSE",
    );
    const stripped = new URL(callbackUrl);
    stripped.searchParams.delete("iss");
    expect((await rejection(connector.exchangeCode({ ...request, callbackUrl: stripped }))).code).toBe(
      "ERR_PROVIDER_INVALID_RESPONSE",
    );
    // The untouched callback still works: nothing above consumed the code.
    await expect(connector.exchangeCode({ ...request, callbackUrl })).resolves.toHaveProperty("accessToken");
  });

  it("refuses an ID token bound to another nonce", async () => {
    const { connector, flow, callbackUrl } = await callback();
    const error = await rejection(
      connector.exchangeCode({
        callbackUrl,
        expectedState: flow.state,
        codeVerifier: flow.codeVerifier,
        nonce: "x",
      }),
    );
    expect(error.code).toBe("ERR_PROVIDER_INVALID_RESPONSE");
  });

  it("maps the user's refusal (error=access_denied) to ERR_PROVIDER_ACCESS_DENIED", async () => {
    const connector = testConnector(server);
    const flow = { state: generateState(), codeVerifier: generateCodeVerifier() };
    const url = await connector.buildAuthorizationUrl({ scopes: [], ...flow });
    const callbackUrl = await server.authorize(url, "deny");
    expect(callbackUrl.searchParams.get("error")).toBe("access_denied");
    const error = await rejection(
      connector.exchangeCode({ callbackUrl, expectedState: flow.state, codeVerifier: flow.codeVerifier }),
    );
    expect(isOAuthConnectorError(error)).toBe(true);
    expect(error.code).toBe("ERR_PROVIDER_ACCESS_DENIED");
    expect(error.providerError).toBe("access_denied");
    expect(error.operation).toBe("authorization");
  });

  it("refuses an error callback carrying a foreign state as a state mismatch", async () => {
    const connector = testConnector(server);
    const callbackUrl = new URL(
      `${CLIENT.redirectUri}?error=access_denied&state=forged&iss=${server.issuer}`,
    );
    const error = await rejection(
      connector.exchangeCode({
        callbackUrl,
        expectedState: generateState(),
        codeVerifier: generateCodeVerifier(),
      }),
    );
    expect(error.code).toBe("ERR_STATE_MISMATCH");
  });
});
