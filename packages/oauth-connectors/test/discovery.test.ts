import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOAuthConnector, type FetchLike, generateCodeVerifier } from "../src/index.js";
import { testConnector, testProvider } from "./helpers/connector.js";
import { CLIENT, type OidcTestServer, startOidcServer } from "./helpers/oidc-server.js";
import { rejection } from "./helpers/rejection.js";

let server: OidcTestServer;
beforeAll(async () => {
  server = await startOidcServer();
});
afterAll(() => server.close());

const REDIRECT = "https://app.example/v1/oauth/callback";
const offline: FetchLike = () => Promise.reject(new Error("no network in this test"));

describe("discovery (OIDC / RFC 8414)", () => {
  it("reads the server's metadata", async () => {
    const metadata = await testConnector(server).discover();
    expect(metadata.issuer).toBe(server.issuer);
    expect(metadata.authorization_endpoint).toBe(`${server.issuer}/auth`);
    expect(metadata.token_endpoint).toBe(`${server.issuer}/token`);
    expect(metadata.revocation_endpoint).toBe(`${server.issuer}/token/revocation`);
    expect(metadata.device_authorization_endpoint).toBe(`${server.issuer}/device/auth`);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);
  });

  it("caches the metadata, but not a failure", async () => {
    let calls = 0;
    const flaky: FetchLike = (url, init) =>
      ++calls === 1 ? Promise.reject(new Error("down")) : fetch(url, init);
    const connector = testConnector(server, { fetch: flaky });
    expect((await rejection(connector.discover())).code).toBe("ERR_PROVIDER_UNAVAILABLE");
    const first = await connector.discover();
    await connector.discover();
    await connector.buildAuthorizationUrl({ scopes: [], state: "s", codeVerifier: generateCodeVerifier() });
    expect(await connector.discover()).toBe(first);
    expect(calls).toBe(2);
  });

  it("refuses plain http unless allowInsecureHttp (tests only) is set", async () => {
    const connector = createOAuthConnector({
      provider: testProvider(server.issuer),
      client: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      redirectUri: CLIENT.redirectUri,
    });
    expect((await rejection(connector.discover())).code).toBe("ERR_PROVIDER_MISCONFIGURED");
  });

  it("refuses metadata whose issuer is not the one asked for", async () => {
    const lying: FetchLike = async () =>
      Response.json({ issuer: "https://other.example", authorization_endpoint: "https://other.example/a" });
    const connector = testConnector(server, { fetch: lying });
    expect((await rejection(connector.discover())).code).toBe("ERR_PROVIDER_INVALID_RESPONSE");
  });
});

describe("static catalog endpoints", () => {
  it("fills Microsoft's tenant: the catalog default, or the client's own", async () => {
    const common = createOAuthConnector({
      provider: "microsoft",
      client: { clientId: "c" },
      redirectUri: REDIRECT,
    });
    expect((await common.discover()).token_endpoint).toBe(
      "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    );
    const tenant = "8f0c2b1e-1111-4a4a-9b9b-0123456789ab";
    const own = createOAuthConnector({
      provider: "microsoft",
      client: { clientId: "c", tenantId: tenant },
      redirectUri: REDIRECT,
    });
    const metadata = await own.discover();
    expect(metadata.authorization_endpoint).toBe(
      `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/authorize`,
    );
    expect(metadata.device_authorization_endpoint).toBe(
      `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/devicecode`,
    );
    expect(metadata.revocation_endpoint).toBeUndefined();
  });

  it("refuses a tenant id that could change the path", async () => {
    const connector = createOAuthConnector({
      provider: "microsoft",
      client: { clientId: "c", tenantId: "../evil" },
      redirectUri: REDIRECT,
    });
    expect((await rejection(connector.discover())).code).toBe("ERR_PROVIDER_MISCONFIGURED");
  });

  it("builds Microsoft's URL with PKCE, base scopes and no nonce (no openid requested)", async () => {
    const connector = createOAuthConnector({
      provider: "microsoft",
      client: { clientId: "c" },
      redirectUri: REDIRECT,
    });
    const url = await connector.buildAuthorizationUrl({
      scopes: ["Mail.Read"],
      state: "st",
      codeVerifier: generateCodeVerifier(),
      nonce: "n",
    });
    expect(url.searchParams.get("scope")).toBe("offline_access User.Read Mail.Read");
    expect(url.searchParams.get("code_challenge_method")).toBe("S256");
    expect(url.searchParams.has("nonce")).toBe(false);
  });

  it("builds Slack's URL with comma-separated scopes and without PKCE", async () => {
    const connector = createOAuthConnector({
      provider: "slack",
      client: { clientId: "c" },
      redirectUri: REDIRECT,
    });
    const url = await connector.buildAuthorizationUrl({
      scopes: ["chat:write", "channels:read"],
      state: "st",
    });
    expect(url.origin + url.pathname).toBe("https://slack.com/oauth/v2/authorize");
    expect(url.searchParams.get("scope")).toBe("chat:write,channels:read");
    expect(url.searchParams.has("code_challenge")).toBe(false);
  });

  it("keeps catalog parameters but never lets them override protocol ones", async () => {
    const connector = createOAuthConnector({
      provider: "atlassian",
      client: { clientId: "c" },
      redirectUri: REDIRECT,
    });
    const url = await connector.buildAuthorizationUrl({
      scopes: ["read:jira-work"],
      state: "st",
      extraParams: { state: "evil", redirect_uri: "https://evil.example", login_hint: "ada" },
    });
    expect(url.searchParams.get("audience")).toBe("api.atlassian.com");
    expect(url.searchParams.get("prompt")).toBe("consent");
    expect(url.searchParams.get("login_hint")).toBe("ada");
    expect(url.searchParams.getAll("state")).toEqual(["st"]);
    expect(url.searchParams.getAll("redirect_uri")).toEqual([REDIRECT]);
  });

  it("uses Google's discovery document through the injected fetch", async () => {
    const seen: string[] = [];
    const google: FetchLike = async (url) => {
      seen.push(url);
      return Response.json({
        issuer: "https://accounts.google.com",
        authorization_endpoint: "https://accounts.google.com/o/oauth2/v2/auth",
        token_endpoint: "https://oauth2.googleapis.com/token",
        revocation_endpoint: "https://oauth2.googleapis.com/revoke",
      });
    };
    const connector = createOAuthConnector({
      provider: "google",
      client: { clientId: "c", clientSecret: "s" },
      redirectUri: REDIRECT,
      fetch: google,
    });
    const url = await connector.buildAuthorizationUrl({
      scopes: ["https://www.googleapis.com/auth/gmail.readonly"],
      state: "st",
      codeVerifier: generateCodeVerifier(),
      nonce: "n",
    });
    expect(seen).toEqual(["https://accounts.google.com/.well-known/openid-configuration"]);
    expect(url.searchParams.get("access_type")).toBe("offline");
    expect(url.searchParams.get("nonce")).toBe("n");
    expect(url.searchParams.get("scope")).toBe(
      "openid email profile https://www.googleapis.com/auth/gmail.readonly",
    );
  });

  it("requires a code verifier for PKCE providers", async () => {
    const connector = createOAuthConnector({
      provider: "microsoft",
      client: { clientId: "c" },
      redirectUri: REDIRECT,
    });
    await expect(connector.buildAuthorizationUrl({ scopes: [], state: "st" })).rejects.toThrow(TypeError);
  });

  it("is not an OAuth connector for key-only providers", () => {
    expect(() =>
      createOAuthConnector({
        provider: "openai",
        client: { clientId: "c" },
        redirectUri: REDIRECT,
        fetch: offline,
      }),
    ).toThrow(expect.objectContaining({ code: "ERR_PROVIDER_NOT_SUPPORTED" }));
    expect(() =>
      createOAuthConnector({ provider: "nope", client: { clientId: "c" }, redirectUri: REDIRECT }),
    ).toThrow(TypeError);
  });
});
