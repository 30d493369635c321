import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

/** `Idempotency-Key` (API.md §1.5): a retried creation or write runs once. */
let t: TestApp;
let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
let owner: SignedInUser;
let other: SignedInUser;

const post = (url: string, token: string, payload: object, key?: string) =>
  t.app.inject({
    method: "POST",
    url,
    headers: { ...bearer(token), ...(key !== undefined ? { "idempotency-key": key } : {}) },
    payload,
  });

beforeAll(async () => {
  upstream = await startProviderUpstream();
  t = await buildTestApp({
    env: { VAULT_DEV_ALLOW_HOSTS: upstream.host },
    verifyApiKey: async (input) => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local",
      accountId: createHash("sha256").update(input.secret).digest("hex").slice(0, 8),
    }),
  });
  owner = await createUser(t.app, t.deps, "idem-owner@example.com", "Ida");
  other = await createUser(t.app, t.deps, "idem-other@example.com", "Oz");
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

describe("Idempotency-Key", () => {
  it("replays a creation instead of running it twice", async () => {
    const first = await post("/v1/agents", owner.token, { name: "Once" }, "create-once-1");
    expect(first.statusCode).toBe(201);
    const again = await post("/v1/agents", owner.token, { name: "Once" }, "create-once-1");
    expect(again.statusCode).toBe(201);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toEqual(first.json());
    const list = await t.app.inject({ method: "GET", url: "/v1/agents", headers: bearer(owner.token) });
    expect(list.json().items.filter((a: { name: string }) => a.name === "Once")).toHaveLength(1);
  });

  it("refuses the same key for a different request, and a malformed key", async () => {
    const reused = await post("/v1/agents", owner.token, { name: "Twice" }, "create-once-1");
    expect(reused.statusCode).toBe(422);
    expect(reused.json()).toMatchObject({ code: "IDEMPOTENCY_KEY_REUSED", hint: expect.any(String) });
    const bad = await post("/v1/agents", owner.token, { name: "Bad key" }, "has space");
    expect(bad.statusCode).toBe(400);
  });

  it("keys are per principal", async () => {
    const mine = await post("/v1/agents", other.token, { name: "Once" }, "create-once-1");
    expect(mine.statusCode).toBe(201);
    expect(mine.headers["idempotent-replayed"]).toBeUndefined();
  });

  it("never stores or repeats a secret shown once", async () => {
    const agent = (await post("/v1/agents", owner.token, { name: "Secretive" })).json();
    const url = `/v1/agents/${agent.id}/bootstrap-secrets`;
    const first = await post(url, owner.token, {}, "secret-1");
    expect(first.json().bootstrapSecret).toMatch(/^ah5b_/);
    const again = await post(url, owner.token, {}, "secret-1");
    expect(again.statusCode).toBe(409);
    expect(again.json().hint).toContain("already issued");
    expect(again.body).not.toContain(first.json().bootstrapSecret);
    const rows = await t.deps.database.db.query.idempotencyKeys.findMany();
    expect(JSON.stringify(rows)).not.toContain(first.json().bootstrapSecret);
  });

  it("a vault write with a key reaches the provider once; reads are not deduplicated", async () => {
    const agent = await enrolledAgent(t.app, owner.token, "Idem agent");
    const conn = await post("/v1/connections/api-key", owner.token, {
      provider: "generic-api-key",
      label: "Idem API",
      secret: "sk-idem-0123456789",
      extra: { origin: upstream.origin },
    });
    await post("/v1/policies", owner.token, {
      agentId: agent.id,
      connectionId: conn.json().id,
      document: {
        version: 1,
        allowedModels: ["B"],
        defaultMode: "read_write",
        allowlists: [{ origin: upstream.origin, paths: ["/v1/**"], methods: ["GET", "POST"] }],
      },
    });
    const call = (method: string, key: string) =>
      post(
        "/v1/vault/execute",
        agent.token,
        {
          model: "B",
          connectionId: conn.json().id,
          method,
          url: `${upstream.origin}/v1/echo`,
          ...(method === "POST" ? { body: { n: 1 } } : {}),
        },
        key,
      );
    const before = upstream.seen.length;
    const first = await call("POST", "write-1");
    const again = await call("POST", "write-1");
    expect(first.statusCode).toBe(200);
    expect(again.headers["idempotent-replayed"]).toBe("true");
    expect(again.json()).toEqual(first.json());
    expect(upstream.seen.length).toBe(before + 1);
    await call("GET", "read-1");
    await call("GET", "read-1");
    expect(upstream.seen.length).toBe(before + 3);
  });

  it("answers 409 with Retry-After while the first request is still running", async () => {
    const p = owner;
    const body = { name: "Slow" };
    const hash = createHash("sha256")
      .update(`POST /v1/agents\n${JSON.stringify(body)}`)
      .digest();
    await t.deps.database.db.insert((await import("../src/db/schema/index.js")).idempotencyKeys).values({
      id: "01900000-0000-7000-8000-0000000000aa",
      workspaceId: p.workspaceId,
      principal: `user:${p.userId}`,
      idemKey: "in-flight-1",
      requestHash: hash,
      lockedUntil: new Date(Date.now() + 60_000),
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const res = await post("/v1/agents", owner.token, body, "in-flight-1");
    expect(res.statusCode).toBe(409);
    expect(res.headers["retry-after"]).toBe("1");
  });
});
