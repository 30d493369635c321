import { type ChildProcess, spawn } from "node:child_process";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT,
  type OidcTestServer,
  startOidcServer,
} from "../../../packages/oauth-connectors/test/helpers/oidc-server.js";
import { INVALIDATE_CHANNEL, type InvalidationMessage } from "../src/db/invalidation.js";
import { testSecrets } from "./helpers/app.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "./helpers/database.js";
import { API_MAIN, freePort } from "./helpers/processes.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

/**
 * Scale-out (issue: several replicas on PostgreSQL): two real API processes on loopback ports
 * share one database, as behind a load balancer. Everything that must hold across replicas is
 * checked from outside, over HTTP.
 */
const describeWithServer = TEST_DATABASE_URL ? describe : describe.skip;

/** The one public URL of both replicas, as behind a load balancer (OAuth callbacks go there). */
const PUBLIC_URL = "http://localhost:4000";
/** The API origin the generic OAuth provider's tokens open (only vended here, never called). */
const OAUTH_API_ORIGIN = "https://api.example.test";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Replica {
  base: string;
  child: ChildProcess;
}

type Seed = typeof import("../../../bench/lib/seed.mjs");

describeWithServer("two API processes on one PostgreSQL (needs TEST_DATABASE_URL)", () => {
  let db: TestDatabase;
  let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
  let oidc: OidcTestServer;
  let a: Replica;
  let b: Replica;
  let seed: Seed;
  let user: Awaited<ReturnType<Seed["seedUser"]>>;
  let agent: Awaited<ReturnType<Seed["seedAgent"]>>;
  let connectionId: string;
  const secrets = testSecrets();

  async function startReplica(): Promise<Replica> {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [API_MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "test",
        PORT: String(port),
        API_PUBLIC_URL: PUBLIC_URL,
        DATABASE_URL: db.url,
        LOG_LEVEL: "silent",
        REQUIRE_EMAIL_VERIFICATION: "false",
        VAULT_DEV_ALLOW_HOSTS: `${upstream.host},${new URL(oidc.issuer).host}`,
        // The local OpenID Connect server is the platform's generic OAuth provider.
        OAUTH_GENERIC_ISSUER: oidc.issuer,
        OAUTH_GENERIC_CLIENT_ID: CLIENT.clientId,
        OAUTH_GENERIC_CLIENT_SECRET: CLIENT.clientSecret,
        OAUTH_GENERIC_API_ORIGINS: OAUTH_API_ORIGIN,
        // Load, not abuse: the per-agent anti-abuse limit would answer 429 after 1,200 calls.
        RATE_LIMIT_AGENT_PER_MINUTE: "1000000",
        ...secrets,
      },
      stdio: "ignore",
    });
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${base}/ready`).catch(() => null))?.status === 200) return { base, child };
      await sleep(50);
    }
    throw new Error("replica did not become ready");
  }

  const call = (r: Replica, method: string, path: string, token: string, body?: unknown) =>
    fetch(`${r.base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  /** Polls until `check` holds; returns how long it took (ms). */
  async function within(ms: number, check: () => Promise<boolean>) {
    const started = Date.now();
    while (Date.now() - started < ms) {
      if (await check()) return Date.now() - started;
      await sleep(25);
    }
    throw new Error(`not within ${ms} ms`);
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    upstream = await startProviderUpstream();
    oidc = await startOidcServer({ redirectUris: [`${PUBLIC_URL}/v1/oauth/generic/callback`] });
    a = await startReplica();
    b = await startReplica();
    seed = await import("../../../bench/lib/seed.mjs");
    user = await seed.seedUser(a.base, "http://localhost:3000");
    agent = await seed.seedAgent(a.base, user.jwt);
    connectionId = await seed.seedConnection(a.base, user.jwt, upstream.origin);
    await seed.seedPolicy(a.base, user.jwt, agent.agentId, connectionId, upstream.origin);
  }, 60_000);
  afterAll(async () => {
    a?.child.kill("SIGKILL");
    b?.child.kill("SIGKILL");
    await upstream?.close();
    await oidc?.close();
    await db?.drop();
  });

  const items = (r: Replica, token: string) =>
    call(r, "POST", "/v1/vault/execute", token, {
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/v1/items`,
    });

  /** The dashboard's connect flow on replica `r`: start → consent at the OAuth server → callback. */
  async function connectOAuth(r: Replica): Promise<string> {
    const started = await call(r, "POST", "/v1/oauth/generic/start", user.jwt, {});
    expect(started.status).toBe(201);
    const { authorizationUrl } = (await started.json()) as { authorizationUrl: string };
    const back = await oidc.authorize(new URL(authorizationUrl));
    // The browser returns to the public callback URL; the load balancer sends it to `r`.
    const res = await fetch(`${r.base}${back.pathname}${back.search}`, {
      headers: { cookie: user.cookie },
      redirect: "manual",
    });
    const location = new URL(res.headers.get("location") ?? "", PUBLIC_URL);
    const id = location.searchParams.get("connectionId");
    if (res.status !== 302 || !id) throw new Error(`connect failed: ${res.status} ${location}`);
    return id;
  }

  /**
   * Expires the stored access token, as time would, and drops every replica's cached copy the
   * way the app does after a credential write: a NOTIFY on the invalidation channel, sent in the
   * writing transaction so it is heard only once the row is committed.
   */
  async function expireAccessToken(id: string) {
    const sql = postgres(db.url as string, { max: 1 });
    const message: InvalidationMessage = { k: "connection", id, w: user.workspaceId };
    try {
      await sql.begin(async (tx) => {
        await tx`update t_connections set access_expires_at = now() - interval '1 second' where id = ${id}`;
        await tx`select pg_notify(${INVALIDATE_CHANNEL}, ${JSON.stringify(message)})`;
      });
    } finally {
      await sql.end();
    }
    // Nothing observable says a replica has handled the NOTIFY short of a call, which would
    // refresh; on loopback it arrives within milliseconds.
    await sleep(300);
  }

  const refreshGrants = () => oidc.requests.filter((r) => r.grantType === "refresh_token").length;
  const tokenRequests = () => oidc.requests.filter((r) => r.method === "POST" && r.path === "/token").length;

  it("a client assertion used on A is rejected on B", async () => {
    const assertion = await seed.signAssertion(agent);
    const form = (r: Replica) =>
      fetch(`${r.base}/v1/agents/token`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          grant_type: "client_credentials",
          client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
          client_assertion: assertion,
        }),
      });
    expect((await form(a)).status).toBe(200);
    const replay = await form(b);
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { code: string }).code).toBe("ASSERTION_REPLAYED");
  });

  it("a policy edit on A is enforced by B within a second", async () => {
    const token = await seed.agentToken(b.base, agent);
    expect((await items(b, token)).status).toBe(200); // B has the policy cached now
    const list = (await (
      await call(a, "GET", `/v1/policies?connectionId=${connectionId}`, user.jwt)
    ).json()) as {
      items: { id: string; version: number; document: Record<string, unknown> }[];
    };
    const policy = list.items[0] as (typeof list.items)[number];
    const edited = await call(a, "PUT", `/v1/policies/${policy.id}`, user.jwt, {
      version: policy.version,
      document: {
        ...policy.document,
        allowlists: [{ origin: upstream.origin, paths: ["/v1/**"], methods: ["GET", "POST"] }],
        requestRules: [
          { id: "freeze", match: { methods: ["GET"], path: "/v1/items" }, action: "deny", hint: "Frozen." },
          { id: "ask", match: { methods: ["POST"], path: "/v1/echo" }, action: "require_approval" },
        ],
      },
    });
    expect(edited.status).toBe(200);
    const took = await within(1000, async () => (await items(b, token)).status === 403);
    expect(took).toBeLessThan(1000);
  });

  it("an SSE subscriber on A receives an approval decided on B", async () => {
    const token = await seed.agentToken(a.base, agent);
    const asked = await call(b, "POST", "/v1/vault/execute", token, {
      model: "B",
      connectionId,
      method: "POST",
      url: `${upstream.origin}/v1/echo`,
      body: { hi: 1 },
    });
    expect(asked.status).toBe(202);
    const { approvalRequestId } = (await asked.json()) as { approvalRequestId: string };
    const controller = new AbortController();
    const stream = await fetch(`${a.base}/v1/events`, {
      headers: { authorization: `Bearer ${user.jwt}` },
      signal: controller.signal,
    });
    const reader = (stream.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    const seen = (async () => {
      let text = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return text;
        text += decoder.decode(value, { stream: true });
        if (text.includes("approval.decided") && text.includes(approvalRequestId)) return text;
      }
    })();
    await new Promise((r) => setTimeout(r, 200));
    const approved = await call(b, "POST", `/v1/approvals/${approvalRequestId}/approve`, user.jwt, {});
    expect(approved.status).toBe(200);
    const timer = setTimeout(() => controller.abort(), 3000);
    const text = await seen.catch(() => "");
    clearTimeout(timer);
    controller.abort();
    expect(text).toContain("event: approval.decided");
    expect(text).toContain(approvalRequestId);
  });

  it("disabling an agent on A stops its token on B within a second", async () => {
    const token = await seed.agentToken(b.base, agent);
    expect((await call(b, "GET", "/v1/agent/me", token)).status).toBe(200);
    expect((await call(a, "POST", `/v1/agents/${agent.agentId}/disable`, user.jwt)).status).toBe(200);
    const took = await within(1000, async () => (await call(b, "GET", "/v1/agent/me", token)).status !== 200);
    expect(took).toBeLessThan(1000);
  });

  it("a job runs on one replica at a time: held elsewhere, neither replica runs it", async () => {
    const sql = postgres(db.url as string, { max: 1 });
    const unsealed = async () =>
      Number((await sql`select count(*)::int as n from l_audit_events where seq is null`)[0]?.n ?? 0);
    try {
      await sql`select pg_advisory_lock(hashtext('ah5:job:audit-sealer'))`;
      // Both replicas write audit rows; with the sealer's lock held outside, nobody seals.
      await call(a, "PATCH", "/v1/workspaces/current", user.jwt, { name: "Held A" });
      await call(b, "PATCH", "/v1/workspaces/current", user.jwt, { name: "Held B" });
      await new Promise((r) => setTimeout(r, 2500));
      expect(await unsealed()).toBeGreaterThan(0);
      await sql`select pg_advisory_unlock(hashtext('ah5:job:audit-sealer'))`;
      await within(5000, async () => (await unsealed()) === 0);
      const verify = (await (await call(b, "GET", "/v1/audit/verify", user.jwt)).json()) as { ok: boolean };
      expect(verify.ok).toBe(true); // sealed exactly once: no gap, no duplicate sequence number
    } finally {
      await sql.end();
    }
  });

  it("50 concurrent calls on both replicas with an expired provider token: one refresh, all served", async () => {
    const connectionId = await connectOAuth(a);
    const agent = await seed.seedAgent(a.base, user.jwt, "Token user");
    await seed.createPolicy(a.base, user.jwt, agent.agentId, connectionId, {
      version: 1,
      allowedModels: ["A"],
      defaultMode: "read_write",
      allowlists: [{ origin: OAUTH_API_ORIGIN, paths: ["/**"], methods: ["GET", "POST"] }],
      modelA: { maxTtlSeconds: 300 },
    });
    const token = await seed.agentToken(a.base, agent);
    type Vended = { accessToken: string };
    const vend = (r: Replica) =>
      call(r, "POST", "/v1/vault/execute", token, { model: "A", connectionId }).then(async (res) => ({
        status: res.status,
        body: (await res.json()) as Vended,
      }));
    // Both replicas hold the connection (with its credential) and the policy in their caches.
    const warm = await Promise.all([vend(a), vend(b)]);
    expect(warm.map((w) => w.status)).toEqual([200, 200]);
    const oldToken = warm[0]?.body.accessToken;
    expect(warm[1]?.body.accessToken).toBe(oldToken);

    await expireAccessToken(connectionId);
    const [grantsBefore, requestsBefore] = [refreshGrants(), tokenRequests()];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => vend(i % 2 === 0 ? a : b)));

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(refreshGrants() - grantsBefore).toBe(1);
    expect(tokenRequests() - requestsBefore).toBe(1); // and no other grant either
    const tokens = new Set(results.map((r) => r.body.accessToken));
    expect(tokens.size).toBe(1);
    expect(tokens.has(oldToken as string)).toBe(false);
  });

  it("when one replica is killed under load, the other keeps serving", async () => {
    // A fresh agent: the earlier one was disabled.
    const other = await seed.seedAgent(a.base, user.jwt, "Survivor");
    await seed.seedPolicy(a.base, user.jwt, other.agentId, connectionId, upstream.origin);
    const token = await seed.agentToken(b.base, other);
    let stop = false;
    const statuses: number[] = [];
    /** The auditId of every 200 each replica sent: each promises a committed audit row. */
    const audited = new Map<Replica, string[]>([
      [a, []],
      [b, []],
    ]);
    const worker = async (r: Replica) => {
      while (!stop) {
        const res = await items(r, token).catch(() => null);
        if (!res) {
          await sleep(20); // the dead replica refuses fast
          continue;
        }
        statuses.push(res.status);
        // A body cut off by the kill carries no auditId, so it promised nothing.
        const body = (await res.json().catch(() => null)) as { auditId?: string } | null;
        if (res.status === 200 && body) audited.get(r)?.push(body.auditId as string);
      }
    };
    const load = [worker(a), worker(a), worker(b), worker(b)];
    await sleep(500);
    a.child.kill("SIGKILL");
    await sleep(500);
    const afterKill = statuses.length;
    await sleep(500);
    stop = true;
    await Promise.all(load);
    expect(statuses.length).toBeGreaterThan(afterKill); // B answered after A died
    expect((await items(b, token)).status).toBe(200);

    const ids = [...(audited.get(a) ?? []), ...(audited.get(b) ?? [])];
    expect(audited.get(a)?.length).toBeGreaterThan(0); // A's answers before it died count too
    expect(ids).not.toContain(undefined); // every 200 names its audit row
    const sql = postgres(db.url as string, { max: 1 });
    try {
      const rows = await sql`select id::text from l_audit_events where id = any(${ids}::uuid[])`;
      const stored = new Set(rows.map((row) => row.id as string));
      expect(ids.filter((id) => !stored.has(id))).toEqual([]);
      // Both replicas appended to one workspace's chain at once: every row sealed as written,
      // and the chain verifies.
      const [unsealed] =
        await sql`select count(*)::int as n from l_audit_events where id = any(${ids}::uuid[]) and seq is null`;
      expect(unsealed?.n).toBe(0);
      const verify = await fetch(`${b.base}/v1/audit/verify`, {
        headers: { authorization: `Bearer ${user.jwt}` },
      });
      expect(await verify.json()).toMatchObject({ ok: true });
    } finally {
      await sql.end();
    }
  });
});
