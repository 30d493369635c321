import { Writable } from "node:stream";
import { createOAuthConnector, defineOidcProvider } from "@agenthifive/oauth-connectors";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT,
  type OidcTestServer,
  startOidcServer,
} from "../../../packages/oauth-connectors/test/helpers/oidc-server.js";
import type { Database } from "../src/db/client.js";
import { INVALIDATE_CHANNEL } from "../src/db/invalidation.js";
import { connections as connectionsTable } from "../src/db/schema/index.js";
import { createLogger } from "../src/lib/logger.js";
import { openCredential } from "../src/modules/connections/index.js";
import { EVENT_TYPES, EVENTS_CHANNEL } from "../src/modules/events/events.service.js";
import { enrolledAgent } from "./helpers/agents.js";
import { API_URL, buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { TEST_DATABASE_URL } from "./helpers/database.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

/**
 * The OAuth connection flow (API.md §3.2) against a real oidc-provider on loopback: start →
 * headless authorization → callback with the user's session cookie, then refresh with rotation
 * through the vault, on one and on two API instances.
 */
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
/** Every secret the flows handled, and every non-vending response body, checked at the end. */
const secrets = new Set<string>([CLIENT.clientSecret]);
const bodies: string[] = [];
/** Every NOTIFY payload on the invalidation and events channels while the flows ran. */
const notified: { channel: string; payload: string }[] = [];
const unlisteners: (() => Promise<void>)[] = [];

let server: OidcTestServer;
let a: TestApp;
let b: TestApp;
let secondDb: Database;
let owner: SignedInUser;
let other: SignedInUser;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;
let connectionId: string;

const provider = () =>
  defineOidcProvider({
    id: "test",
    label: "Test OIDC",
    issuer: server.issuer,
    defaultScopes: ["api:read"],
    allowedScopes: ["api:read", "api:write"],
    baseScopes: ["openid", "offline_access", "email", "profile"],
    apiOrigins: ["https://api.example.test"],
    capabilities: { refreshTokenRotation: true },
  });

const appOptions = () => ({
  env: {
    VAULT_DEV_ALLOW_HOSTS: new URL(server.issuer).host,
    // The test server only accepts this callback URL (CLIENT.redirectUri).
    API_PUBLIC_URL: "http://127.0.0.1",
    AGENT_TOKEN_AUDIENCE: `${API_URL}/v1/agents/token`,
  },
  extraProviders: [
    { provider: provider(), client: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret } },
  ],
  logger: createLogger("trace", sink),
});

async function start(t: TestApp, user: SignedInUser, payload: object = {}) {
  const res = await t.app.inject({
    method: "POST",
    url: "/v1/oauth/test/start",
    headers: bearer(user.token),
    payload,
  });
  // The authorization URL carries the state by design; nothing else secret may be there.
  expect(res.body).not.toContain(CLIENT.clientSecret);
  return res;
}

async function authorize(user: SignedInUser, decision: "approve" | "deny" = "approve") {
  const started = await start(a, user);
  expect(started.statusCode).toBe(201);
  const url = new URL(started.json().authorizationUrl);
  secrets.add(url.searchParams.get("state") as string);
  const callback = await server.authorize(url, decision);
  const code = callback.searchParams.get("code");
  if (code) secrets.add(code);
  return { callback, pendingConnectionId: started.json().pendingConnectionId as string };
}

async function callback(url: URL | string, cookie: string) {
  const u = typeof url === "string" ? new URL(url, "http://127.0.0.1") : url;
  const res = await a.app.inject({ method: "GET", url: `${u.pathname}${u.search}`, headers: { cookie } });
  bodies.push(res.body);
  return res;
}

async function stored(id: string) {
  const [row] = await a.deps.database.db.select().from(connectionsTable).where(eq(connectionsTable.id, id));
  if (!row?.credentialEnvelope) throw new Error("no credential");
  const credential = openCredential(a.deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId);
  if (credential.accessToken) secrets.add(credential.accessToken);
  if (credential.refreshToken) secrets.add(credential.refreshToken);
  return { row, credential };
}

async function expireAccessToken(id: string) {
  await a.deps.database.db
    .update(connectionsTable)
    .set({ accessExpiresAt: new Date(Date.now() - 1000) })
    .where(eq(connectionsTable.id, id));
  await a.deps.invalidation.publish(a.deps.database.db, { k: "connection", id, w: owner.workspaceId });
  await new Promise((r) => setTimeout(r, 100));
}

const modelA = (t: TestApp) =>
  t.app.inject({
    method: "POST",
    url: "/v1/vault/execute",
    headers: bearer(agent.token),
    payload: { model: "A", connectionId },
  });

const tokenRequests = () => server.requests.filter((r) => r.method === "POST" && r.path === "/token").length;

beforeAll(async () => {
  server = await startOidcServer();
  a = await buildTestApp(appOptions());
  // Listening from the start: both instances write to this database, so every NOTIFY reaches us.
  for (const channel of [INVALIDATE_CHANNEL, EVENTS_CHANNEL]) {
    unlisteners.push(await a.deps.database.listen(channel, (payload) => notified.push({ channel, payload })));
  }
  secondDb = TEST_DATABASE_URL
    ? await (a.testDb as NonNullable<TestApp["testDb"]>).openAnother()
    : a.deps.database;
  b = await buildTestApp({
    ...appOptions(),
    sharedDatabase: secondDb,
    env: {
      ...appOptions().env,
      AUTH_SECRET: a.deps.config.AUTH_SECRET as string,
      ENCRYPTION_KEYS: a.deps.config.ENCRYPTION_KEYS as string,
    },
  });
  owner = await createUser(a.app, a.deps, "oauth-owner@example.com", "Olive");
  other = await createUser(a.app, a.deps, "oauth-other@example.com", "Otto");
  agent = await enrolledAgent(a.app, owner.token, "OAuth agent");
}, 60_000);
afterAll(async () => {
  for (const unlisten of unlisteners) await unlisten().catch(() => undefined);
  await b?.app.close();
  await b?.deps.auditWriter.close();
  await b?.deps.invalidation.stop();
  await a?.close();
  await server?.close();
});

describe("OAuth connection flow", () => {
  let firstCallback: URL;

  it("connects an account: start → authorize → callback → connection without secrets", async () => {
    const { callback: url } = await authorize(owner);
    firstCallback = url;
    const res = await callback(url, owner.cookie);
    expect(res.statusCode).toBe(302);
    const location = new URL(res.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(`${WEB_ORIGIN}/connections`);
    connectionId = location.searchParams.get("connectionId") as string;
    expect(connectionId).toMatch(/^[0-9a-f-]{36}$/);

    const got = await a.app.inject({
      method: "GET",
      url: `/v1/connections/${connectionId}`,
      headers: bearer(owner.token),
    });
    bodies.push(got.body);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({
      provider: "test",
      service: "test-api",
      authType: "oauth",
      status: "active",
      accountId: "user-1",
    });
    expect(got.json().grantedScopes).toEqual(expect.arrayContaining(["api:read"]));
    const { row, credential } = await stored(connectionId);
    expect(credential).toMatchObject({ kind: "oauth", tokenType: "Bearer" });
    expect(credential.refreshToken).toEqual(expect.any(String));
    for (const secret of [credential.accessToken, credential.refreshToken, CLIENT.clientSecret]) {
      expect(res.body).not.toContain(secret);
      expect(res.headers.location).not.toContain(secret);
      expect(got.body).not.toContain(secret);
    }
    expect(row.accessExpiresAt?.getTime()).toBeGreaterThan(Date.now());
    await a.deps.auditWriter.flush();
    const audit = await a.deps.database.db.query.auditEvents.findMany({
      where: (e, { and, eq: is }) =>
        and(is(e.connectionId, connectionId), is(e.action, "connection.created")),
    });
    expect(audit).toHaveLength(1);
  });

  it("refuses a replayed callback and a forged state", async () => {
    const replay = await callback(firstCallback, owner.cookie);
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toBe(`${WEB_ORIGIN}/connections?error=OAUTH_STATE_INVALID`);
    const forged = await callback("/v1/oauth/test/callback?code=abc&state=forged-state", owner.cookie);
    expect(forged.headers.location).toBe(`${WEB_ORIGIN}/connections?error=OAUTH_STATE_INVALID`);
    const none = await callback("/v1/oauth/test/callback?code=abc", owner.cookie);
    expect(none.headers.location).toBe(`${WEB_ORIGIN}/connections?error=OAUTH_STATE_INVALID`);
  });

  it("refuses a callback completed in another user's browser (login CSRF), and creates nothing", async () => {
    const before = await a.deps.database.db.select().from(connectionsTable);
    const { callback: url } = await authorize(owner);
    const res = await callback(url, other.cookie);
    expect(res.headers.location).toBe(`${WEB_ORIGIN}/connections?error=OAUTH_STATE_INVALID`);
    // The state was consumed: the right user cannot use it afterwards either.
    const again = await callback(url, owner.cookie);
    expect(again.headers.location).toBe(`${WEB_ORIGIN}/connections?error=OAUTH_STATE_INVALID`);
    const noCookie = await authorize(owner);
    expect((await callback(noCookie.callback, "")).headers.location).toBe(
      `${WEB_ORIGIN}/connections?error=OAUTH_STATE_INVALID`,
    );
    expect(await a.deps.database.db.select().from(connectionsTable)).toHaveLength(before.length);
  });

  it("reports a refusal at the provider as ACCESS_DENIED", async () => {
    const { callback: url } = await authorize(owner, "deny");
    expect(url.searchParams.get("error")).toBe("access_denied");
    const res = await callback(url, owner.cookie);
    expect(res.headers.location).toBe(`${WEB_ORIGIN}/connections?error=ACCESS_DENIED`);
  });

  it("validates start: unknown provider, unconfigured provider, returnTo, scopes", async () => {
    expect(
      (await a.app.inject({ method: "POST", url: "/v1/oauth/nope/start", headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(404);
    const google = await a.app.inject({
      method: "POST",
      url: "/v1/oauth/google/start",
      headers: bearer(owner.token),
    });
    expect(google.statusCode).toBe(409);
    expect(google.json().code).toBe("PROVIDER_NOT_CONFIGURED");
    for (const returnTo of [
      "//evil.example",
      "https://evil.example/",
      "/\\evil.example",
      "/\t/evil.example",
    ]) {
      expect((await start(a, owner, { returnTo })).statusCode).toBe(400);
    }
    expect((await start(a, owner, { scopes: ["admin:all"] })).statusCode).toBe(400);
    expect((await start(a, owner, { returnTo: "/connections/new" })).statusCode).toBe(201);
  });
});

describe("token refresh through the vault", () => {
  beforeAll(async () => {
    const policy = await a.app.inject({
      method: "POST",
      url: "/v1/policies",
      headers: bearer(owner.token),
      payload: {
        agentId: agent.id,
        connectionId,
        document: {
          version: 1,
          allowedModels: ["A", "B"],
          defaultMode: "read_write",
          allowlists: [{ origin: "https://api.example.test", paths: ["/**"], methods: ["GET", "POST"] }],
          modelA: { maxTtlSeconds: 300 },
        },
      },
    });
    expect(policy.statusCode, policy.body).toBe(201);
  });

  it("refreshes an expired access token with rotation and vends the new one (Model A)", async () => {
    const before = await stored(connectionId);
    await expireAccessToken(connectionId);
    const res = await modelA(a);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.accessToken).not.toBe(before.credential.accessToken);
    expect(body.expiresIn).toBeGreaterThan(200);
    expect(body.expiresIn).toBeLessThanOrEqual(300);
    const after = await stored(connectionId);
    expect(after.credential.accessToken).toBe(body.accessToken);
    expect(after.credential.refreshToken).not.toBe(before.credential.refreshToken);
    expect(after.row.refreshLockVersion).toBe(before.row.refreshLockVersion + 1);
    expect(after.row.lastRefreshAt).not.toBeNull();
    expect(after.row.accessExpiresAt?.getTime()).toBeGreaterThan(Date.now() + 60_000);
  });

  it("50 concurrent calls on two instances cause exactly one refresh at the provider", async () => {
    const before = await stored(connectionId);
    await modelA(b); // B has the connection cached too
    await expireAccessToken(connectionId);
    const grants = tokenRequests();
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => modelA(i % 2 === 0 ? a : b)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(tokenRequests() - grants).toBe(1);
    const tokens = new Set(results.map((r) => r.json().accessToken as string));
    expect(tokens.size).toBe(1);
    const [token] = [...tokens];
    expect(token).not.toBe(before.credential.accessToken);
    const after = await stored(connectionId);
    expect(after.credential.accessToken).toBe(token);
    expect(after.row.refreshLockVersion).toBe(before.row.refreshLockVersion + 1);
    // The token works at the provider.
    const meta = (await (await fetch(`${server.issuer}/.well-known/openid-configuration`)).json()) as {
      userinfo_endpoint: string;
    };
    const me = await fetch(meta.userinfo_endpoint, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it("a revoked refresh token makes the connection needs_reauth (409 CONNECTION_NEEDS_REAUTH)", async () => {
    const { credential } = await stored(connectionId);
    const connector = createOAuthConnector({
      provider: provider(),
      client: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      redirectUri: CLIENT.redirectUri,
      allowInsecureHttp: true,
    });
    expect(await connector.revoke(credential.refreshToken as string, "refresh_token")).toEqual({
      revoked: true,
    });
    await expireAccessToken(connectionId);
    const connectionEvents = async () =>
      (
        await a.deps.database.db.query.workspaceEvents.findMany({
          where: (e, { and, eq: is }) =>
            and(is(e.resourceId, connectionId), is(e.type, "connection.updated")),
        })
      ).length;
    const eventsBefore = await connectionEvents();
    const res = await modelA(a);
    bodies.push(res.body);
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("CONNECTION_NEEDS_REAUTH");
    const { row } = await stored(connectionId);
    expect(row.status).toBe("needs_reauth");
    expect(row.lastErrorCode).toBe("invalid_grant");
    await a.deps.auditWriter.flush();
    const audit = await a.deps.database.db.query.auditEvents.findMany({
      where: (e, { and, eq: is }) =>
        and(is(e.connectionId, connectionId), is(e.action, "connection.needs_reauth")),
    });
    expect(audit).toHaveLength(1);
    expect(await connectionEvents()).toBe(eventsBefore + 1); // the dashboard shows "Reconnect" live
    const again = await modelA(b);
    expect(again.json().code).toBe("CONNECTION_NEEDS_REAUTH");
  });

  it("reconnecting keeps the connection id and makes it active again", async () => {
    const started = await start(a, owner, { reconnectConnectionId: connectionId });
    expect(started.statusCode).toBe(201);
    const url = new URL(started.json().authorizationUrl);
    secrets.add(url.searchParams.get("state") as string);
    const cb = await server.authorize(url);
    secrets.add(cb.searchParams.get("code") as string);
    const res = await callback(cb, owner.cookie);
    expect(res.headers.location).toBe(`${WEB_ORIGIN}/connections?connectionId=${connectionId}`);
    const { row } = await stored(connectionId);
    expect(row.status).toBe("active");
    expect((await modelA(a)).statusCode).toBe(200);
  });

  it("deleting the connection revokes its token at the provider and audits the result", async () => {
    const { credential } = await stored(connectionId);
    const res = await a.app.inject({
      method: "DELETE",
      url: `/v1/connections/${connectionId}`,
      headers: bearer(owner.token),
    });
    expect(res.statusCode).toBe(204);
    const connector = createOAuthConnector({
      provider: provider(),
      client: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      redirectUri: CLIENT.redirectUri,
      allowInsecureHttp: true,
    });
    await expect(connector.refresh(credential.refreshToken as string)).rejects.toMatchObject({
      code: "ERR_PROVIDER_INVALID_GRANT",
    });
    const audit = await a.deps.database.db.query.auditEvents.findMany({
      where: (e, { and, eq: is }) =>
        and(is(e.connectionId, connectionId), is(e.action, "connection.provider_revocation")),
    });
    expect(audit[0]?.details).toMatchObject({ outcome: "revoked" });
    expect((await modelA(a)).json().code).toBe("CONNECTION_REVOKED");
  });

  it("NOTIFY payloads carry ids only, in the shape each channel publishes", async () => {
    await new Promise((r) => setTimeout(r, 200)); // the last notifications after their commits
    const invalidations = notified.filter((n) => n.channel === INVALIDATE_CHANNEL).map((n) => n.payload);
    const events = notified.filter((n) => n.channel === EVENTS_CHANNEL).map((n) => n.payload);
    for (const payload of invalidations) {
      const m = JSON.parse(payload);
      // InvalidationMessage: {k, id, w?}.
      expect(
        Object.keys(m)
          .filter((k) => k !== "w")
          .sort(),
        payload,
      ).toEqual(["id", "k"]);
      expect(m.k, payload).toMatch(/^[a-z_]+$/);
      expect(m.id, payload).toEqual(expect.any(String));
      expect(m.id.length, payload).toBeLessThanOrEqual(64);
      if ("w" in m) expect(m.w, payload).toMatch(/^[0-9a-f-]{36}$/);
    }
    for (const payload of events) {
      const m = JSON.parse(payload);
      // The event hub's wire form: {id, w (workspace), t (type), r (resource id), at}.
      expect(Object.keys(m).sort(), payload).toEqual(["at", "id", "r", "t", "w"]);
      expect(EVENT_TYPES, payload).toContain(m.t);
      expect(m.id, payload).toMatch(/^[0-9a-f-]{36}$/);
      expect(m.r, payload).toMatch(/^[0-9a-f-]{36}$/);
      expect(m.w, payload).toBe(owner.workspaceId);
      expect(new Date(m.at).toISOString(), payload).toBe(m.at);
    }
    // The connection's refreshes, re-auth, reconnect and revocation were all announced.
    expect(invalidations.map((p) => JSON.parse(p))).toContainEqual({
      k: "connection",
      id: connectionId,
      w: owner.workspaceId,
    });
    expect(
      events.map((p) => JSON.parse(p)).filter((m) => m.t === "connection.updated" && m.r === connectionId)
        .length,
    ).toBeGreaterThanOrEqual(3);
  });

  it("no secret reached a response body, an audit row, a log line or a NOTIFY payload", async () => {
    await a.deps.auditWriter.flush();
    await b.deps.auditWriter.flush();
    const audit = JSON.stringify(await a.deps.database.db.query.auditEvents.findMany());
    const logs = logLines.join("\n");
    expect(secrets.size).toBeGreaterThan(8);
    expect(notified.length).toBeGreaterThan(10);
    for (const secret of secrets) {
      for (const [where, text] of [
        ["body", bodies.join("\n")],
        ["audit", audit],
        ["logs", logs],
        ["notify", notified.map((n) => n.payload).join("\n")],
      ] as const) {
        expect(text.includes(secret), `a secret appeared in ${where}`).toBe(false);
      }
    }
  });
});
