import { afterEach, describe, expect, it } from "vitest";
import { createOAuthConnector, generateCodeVerifier } from "../src/index.js";
import { rejection } from "./helpers/rejection.js";
import {
  startUpstream,
  type Upstream,
  type UpstreamAnswer,
  type UpstreamRequest,
} from "./helpers/upstream.js";

const REDIRECT = "https://app.example/v1/oauth/callback";
const CLIENT = { clientId: "client-1", clientSecret: "secret-CANARY-9" };
let upstream: Upstream | undefined;
afterEach(() => upstream?.close());

async function connectorFor(provider: string, answer: (request: UpstreamRequest) => UpstreamAnswer) {
  upstream = await startUpstream(answer);
  return createOAuthConnector({ provider, client: CLIENT, redirectUri: REDIRECT, fetch: upstream.fetch });
}

const callback = (state: string) => ({
  callbackUrl: `${REDIRECT}?code=the-code&state=${state}`,
  expectedState: state,
});

describe("Slack (bot token, commas, errors as HTTP 200)", () => {
  const grant = {
    ok: true,
    access_token: "xoxb-CANARY",
    token_type: "bot",
    scope: "chat:write,channels:read",
    bot_user_id: "U0BOT",
    app_id: "A01",
    team: { id: "T0TEAM", name: "Acme" },
    authed_user: { id: "U0HUMAN", scope: "", access_token: "xoxp-CANARY", token_type: "user" },
  };

  it("reads the bot grant: token type, comma scopes, the team as the account, secrets out of raw", async () => {
    const connector = await connectorFor("slack", () => ({ json: grant }));
    const tokens = await connector.exchangeCode(callback("st"));
    expect(upstream?.asked).toEqual(["https://slack.com/api/oauth.v2.access"]);
    expect(tokens).toMatchObject({
      accessToken: "xoxb-CANARY",
      tokenType: "bot",
      scopes: ["chat:write", "channels:read"],
      providerAccountId: "T0TEAM",
      accountDisplayName: "Acme",
    });
    expect(tokens.raw).toEqual({
      ok: true,
      bot_user_id: "U0BOT",
      app_id: "A01",
      team: { id: "T0TEAM", name: "Acme" },
      authed_user: { id: "U0HUMAN", scope: "" },
    });
    const sent = upstream?.requests[0];
    expect(sent?.headers.authorization).toMatch(/^Basic /);
    expect(sent?.body).not.toContain(CLIENT.clientSecret);
    expect(new URLSearchParams(sent?.body).get("code")).toBe("the-code");
  });

  it("maps `ok: false` answers through the catalog's aliases", async () => {
    const connector = await connectorFor("slack", () => ({ json: { ok: false, error: "invalid_code" } }));
    const error = await rejection(connector.exchangeCode(callback("st")));
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
    expect(error.providerError).toBe("invalid_grant");
    const misconfigured = await connectorFor("slack", () => ({
      json: { ok: false, error: "bad_client_secret" },
    }));
    expect((await rejection(misconfigured.exchangeCode(callback("st")))).code).toBe(
      "ERR_PROVIDER_MISCONFIGURED",
    );
  });

  it("revokes through auth.revoke", async () => {
    const connector = await connectorFor("slack", () => ({ json: { ok: true, revoked: true } }));
    await expect(connector.revoke("xoxb-CANARY")).resolves.toEqual({ revoked: true });
    expect(upstream?.asked).toEqual(["https://slack.com/api/auth.revoke"]);
  });
});

describe("GitHub (errors as HTTP 200, device flow, numeric ids)", () => {
  it("maps bad_verification_code to ERR_PROVIDER_INVALID_GRANT", async () => {
    const connector = await connectorFor("github", () => ({ json: { error: "bad_verification_code" } }));
    const error = await rejection(
      connector.exchangeCode({ ...callback("st"), codeVerifier: generateCodeVerifier() }),
    );
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
  });

  it("reads the account from /user and sends PKCE", async () => {
    const connector = await connectorFor("github", (request) =>
      request.path === "/user"
        ? { json: { id: 583231, login: "octocat", name: null, email: "octo@example.test" } }
        : { json: { access_token: "gho_CANARY", token_type: "bearer", scope: "repo,gist" } },
    );
    const verifier = generateCodeVerifier();
    const tokens = await connector.exchangeCode({ ...callback("st"), codeVerifier: verifier });
    expect(tokens).toMatchObject({
      providerAccountId: "583231",
      accountEmail: "octo@example.test",
      accountDisplayName: "octocat",
      scopes: ["repo", "gist"],
    });
    expect(new URLSearchParams(upstream?.requests[0]?.body).get("code_verifier")).toBe(verifier);
    expect(upstream?.requests[1]?.headers.authorization).toBe("Bearer gho_CANARY");
    expect(upstream?.requests[1]?.headers["user-agent"]).toBe("AgentHiFive");
  });

  it("polls the device flow: GitHub's HTTP-200 authorization_pending is pending", async () => {
    const connector = await connectorFor("github", () => ({ json: { error: "authorization_pending" } }));
    await expect(connector.pollDeviceAuthorization("dc")).resolves.toEqual({ status: "pending" });
  });
});

describe("Notion (JSON token request, identity in the token response)", () => {
  it("sends JSON with Basic auth and reads bot, owner email and workspace", async () => {
    const connector = await connectorFor("notion", () => ({
      json: {
        access_token: "ntn_CANARY",
        token_type: "bearer",
        bot_id: "bot-1",
        workspace_id: "ws-1",
        workspace_name: "Acme HQ",
        owner: { type: "user", user: { id: "u-1", person: { email: "ada@example.test" } } },
      },
    }));
    const tokens = await connector.exchangeCode(callback("st"));
    const sent = upstream?.requests[0];
    expect(sent?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(sent?.body ?? "{}")).toEqual({
      grant_type: "authorization_code",
      code: "the-code",
      redirect_uri: REDIRECT,
    });
    expect(sent?.headers.authorization).toMatch(/^Basic /);
    expect(tokens).toMatchObject({
      providerAccountId: "bot-1",
      accountEmail: "ada@example.test",
      accountDisplayName: "Acme HQ",
      scopes: [],
    });
  });
});

describe("Microsoft (Graph /me, rotation)", () => {
  it("takes the account from Graph and keeps the old refresh token when none is returned", async () => {
    const connector = await connectorFor("microsoft", (request) =>
      request.path === "/v1.0/me"
        ? { json: { id: "graph-id", mail: null, userPrincipalName: "ada@contoso.test", displayName: "Ada" } }
        : {
            json: {
              access_token: "eyJ-CANARY",
              token_type: "Bearer",
              expires_in: 3600,
              refresh_token_expires_in: 86_400,
              scope: "Mail.Read",
            },
          },
    );
    const tokens = await connector.exchangeCode({ ...callback("st"), codeVerifier: generateCodeVerifier() });
    expect(tokens).toMatchObject({ providerAccountId: "graph-id", accountEmail: "ada@contoso.test" });
    const inADay = Date.now() + 86_400_000;
    expect(Math.abs((tokens.refreshExpiresAt?.getTime() ?? 0) - inADay)).toBeLessThan(60_000);
    expect(tokens.raw).toBeUndefined();
    const refreshed = await connector.refresh("old-refresh", { grantedScopes: ["Mail.Read"] });
    expect(refreshed.refreshToken).toBe("old-refresh");
    expect(refreshed.refreshTokenRotated).toBe(false);
    expect(new URLSearchParams(upstream?.requests.at(-1)?.body).get("client_secret")).toBe(
      CLIENT.clientSecret,
    );
  });
});
