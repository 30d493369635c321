import { Writable } from "node:stream";
import { defineOidcProvider } from "@agenthifive/oauth-connectors";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT,
  type OidcTestServer,
  startOidcServer,
} from "../../../packages/oauth-connectors/test/helpers/oidc-server.js";
import { connections as connectionsTable } from "../src/db/schema/index.js";
import { createLogger } from "../src/lib/logger.js";
import { enrolledAgent } from "./helpers/agents.js";
import { API_URL, buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { memberWithRole } from "./helpers/notifications.js";

/**
 * Bring-your-own OAuth clients (API.md §3.3) against a real oidc-provider: a provider with no
 * platform app is connectable only through a workspace's own app, whose secret is write-only.
 */
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
const WRONG_SECRET = "wrong-secret-CANARY-51c2";
let server: OidcTestServer;
let t: TestApp;
let owner: SignedInUser;
let stranger: SignedInUser;
let appId: string;
const bodies: string[] = [];

const req = async (
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  token: string,
  payload?: object,
  headers = {},
) => {
  const res = await t.app.inject({
    method,
    url,
    headers: { ...bearer(token), ...headers },
    ...(payload ? { payload } : {}),
  });
  bodies.push(res.body);
  return res;
};

async function connect(user: SignedInUser) {
  const started = await req("POST", "/v1/oauth/test/start", user.token, {});
  if (started.statusCode !== 201) return { started };
  const callback = await server.authorize(new URL(started.json().authorizationUrl));
  const back = await t.app.inject({
    method: "GET",
    url: `${callback.pathname}${callback.search}`,
    headers: { cookie: user.cookie },
  });
  return { started, location: String(back.headers.location) };
}

beforeAll(async () => {
  server = await startOidcServer();
  t = await buildTestApp({
    env: {
      VAULT_DEV_ALLOW_HOSTS: new URL(server.issuer).host,
      API_PUBLIC_URL: "http://127.0.0.1",
      AGENT_TOKEN_AUDIENCE: `${API_URL}/v1/agents/token`,
    },
    // Known provider, no platform app: only a workspace's own client can connect it.
    extraProviders: [
      {
        provider: defineOidcProvider({
          id: "test",
          label: "Test OIDC",
          issuer: server.issuer,
          defaultScopes: ["api:read"],
          allowedScopes: ["api:read", "api:write"],
          baseScopes: ["openid", "offline_access", "email", "profile"],
          apiOrigins: ["https://api.example.test"],
        }),
      },
    ],
    logger: createLogger("trace", sink),
  });
  owner = await createUser(t.app, t.deps, "byo-owner@example.com", "Bea");
  stranger = await createUser(t.app, t.deps, "byo-stranger@example.com", "Sid");
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

describe("workspace OAuth apps", () => {
  it("without an app the provider is not configured, with a hint", async () => {
    const list = (await req("GET", "/v1/oauth-apps", owner.token)).json();
    expect(list).toEqual({ items: [], nextCursor: null, platformProviders: [] });
    const { started } = await connect(owner);
    expect(started.statusCode).toBe(409);
    expect(started.json()).toMatchObject({
      code: "PROVIDER_NOT_CONFIGURED",
      hint: expect.stringContaining("oauth-apps"),
    });
  });

  it("registers an app whose secret is never returned, and connects through it", async () => {
    const created = await req("POST", "/v1/oauth-apps", owner.token, {
      provider: "test",
      label: "Our Keycloak",
      clientId: CLIENT.clientId,
      clientSecret: WRONG_SECRET,
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      provider: "test",
      clientId: CLIENT.clientId,
      version: 1,
      redirectUri: "http://127.0.0.1/v1/oauth/test/callback",
    });
    expect(created.body).not.toContain(WRONG_SECRET);
    appId = created.json().id;

    // The wrong secret fails at the provider's token endpoint, and the dashboard is told.
    const failed = await connect(owner);
    expect(failed.location).toContain("error=OAUTH_EXCHANGE_FAILED");

    const stale = await req(
      "PATCH",
      `/v1/oauth-apps/${appId}`,
      owner.token,
      { clientSecret: "x" },
      { "if-match": '"v7"' },
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: "VERSION_MISMATCH", details: { currentVersion: 1 } });
    const fixed = await req(
      "PATCH",
      `/v1/oauth-apps/${appId}`,
      owner.token,
      { clientSecret: CLIENT.clientSecret },
      { "if-match": '"v1"' },
    );
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json().version).toBe(2);

    const ok = await connect(owner);
    const connectionId = new URL(String(ok.location)).searchParams.get("connectionId");
    expect(connectionId).toEqual(expect.any(String));
    const conn = (await req("GET", `/v1/connections/${connectionId}`, owner.token)).json();
    expect(conn).toMatchObject({ oauthAppId: appId, status: "active", accountId: "user-1" });

    // The app's connection is refreshed with the app's client: expire the access token, probe.
    await t.deps.database.db
      .update(connectionsTable)
      .set({ accessExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(connectionsTable.id, String(connectionId)));
    const tokenCalls = () => server.requests.filter((r) => r.method === "POST" && r.path === "/token").length;
    const beforeRefresh = tokenCalls();
    const probe = await req("POST", `/v1/connections/${connectionId}/test`, owner.token);
    expect(probe.json()).toMatchObject({ ok: true, accountId: "user-1" });
    expect(tokenCalls()).toBe(beforeRefresh + 1);

    const inUse = await req("DELETE", `/v1/oauth-apps/${appId}`, owner.token);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().details).toEqual({ reason: "in_use", connectionIds: [connectionId] });

    const revocations = () => server.requests.filter((r) => r.path.includes("revocation")).length;
    const before = revocations();
    expect((await req("DELETE", `/v1/connections/${connectionId}`, owner.token)).statusCode).toBe(204);
    expect(revocations()).toBe(before + 1); // revoked at the provider with the app's client
    expect((await req("DELETE", `/v1/oauth-apps/${appId}`, owner.token)).statusCode).toBe(204);
  });

  it("is workspace-scoped, human-only, and label-unique", async () => {
    const again = await req("POST", "/v1/oauth-apps", owner.token, {
      provider: "test",
      label: "Second",
      clientId: "client-2",
      clientSecret: "s2",
    });
    expect(again.statusCode).toBe(201);
    const dup = await req("POST", "/v1/oauth-apps", owner.token, {
      provider: "test",
      label: "Second",
      clientId: "client-3",
      clientSecret: "s3",
    });
    expect(dup.statusCode).toBe(409);
    const id = again.json().id;
    expect((await req("PATCH", `/v1/oauth-apps/${id}`, stranger.token, { label: "Mine" })).statusCode).toBe(
      404,
    );
    expect((await req("GET", "/v1/oauth-apps", stranger.token)).json().items).toEqual([]);
    // A member manages only the apps they registered: everyone's connections may depend on the rest.
    const member = await memberWithRole(t, owner, "oauth-apps-member@example.com", "member");
    for (const [method, payload] of [
      ["PATCH", { label: "Taken over" }],
      ["DELETE", undefined],
    ] as const) {
      const refused = await req(method, `/v1/oauth-apps/${id}`, member, payload, { "if-match": '"v1"' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: "SCOPE_MISSING", details: { reason: "not_owner" } });
    }
    const own = await req("POST", "/v1/oauth-apps", member, {
      provider: "test",
      label: "Member's",
      clientId: "client-member",
      clientSecret: "sm",
    });
    expect(own.statusCode).toBe(201);
    const renamed = await req(
      "PATCH",
      `/v1/oauth-apps/${own.json().id}`,
      member,
      { label: "Member's own" },
      {
        "if-match": '"v1"',
      },
    );
    expect(renamed.statusCode).toBe(200);
    expect((await req("DELETE", `/v1/oauth-apps/${own.json().id}`, member)).statusCode).toBe(204);
    const agent = await enrolledAgent(t.app, owner.token, "Nosy agent");
    expect((await req("GET", "/v1/oauth-apps", agent.token)).json().code).toBe("PRINCIPAL_NOT_ALLOWED");
    const notOAuth = await req("POST", "/v1/oauth-apps", owner.token, {
      provider: "openai",
      label: "Nope",
      clientId: "c",
      clientSecret: "s",
    });
    expect(notOAuth.statusCode).toBe(400);
  });

  it("never lets a client secret reach a response, a log line or the audit trail", async () => {
    await t.deps.auditWriter.flush();
    const audit = await t.deps.database.db.query.auditEvents.findMany();
    for (const secret of [WRONG_SECRET, CLIENT.clientSecret]) {
      expect(bodies.join("\n")).not.toContain(secret);
      expect(logLines.join("\n")).not.toContain(secret);
      expect(JSON.stringify(audit)).not.toContain(secret);
    }
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining(["oauth_app.created", "oauth_app.updated", "oauth_app.deleted"]),
    );
  });
});
