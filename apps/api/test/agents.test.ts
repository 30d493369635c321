import { randomBytes, randomUUID } from "node:crypto";
import { hashToken } from "@agenthifive/security";
import { calculateJwkThumbprint } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../src/lib/ids.js";
import { createTokenIssuer } from "../src/modules/agents/token-issuer.js";
import {
  type AgentKey,
  agentKey,
  bootstrap,
  createAgent,
  enrolledAgent,
  issueSecret,
  requestToken,
  signAssertion,
} from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { dumpRows, rawTokenForms } from "./helpers/stored-secrets.js";

let t: TestApp;
let owner: SignedInUser;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.app, t.deps, "agents-owner@example.com", "Ana");
});
afterAll(async () => {
  await t?.close();
});

const me = (token: string) => t.app.inject({ method: "GET", url: "/v1/agent/me", headers: bearer(token) });

describe("agent management", () => {
  it("creates, lists, renames and shows agents", async () => {
    const a = await createAgent(t.app, owner.token, "Mail helper");
    expect(a).toMatchObject({ status: "created", keyThumbprint: null });
    const dup = await t.app.inject({
      method: "POST",
      url: "/v1/agents",
      headers: bearer(owner.token),
      payload: { name: "mail HELPER" },
    });
    expect(dup.json()).toMatchObject({ code: "CONFLICT", details: { reason: "name_taken" } });
    const renamed = await t.app.inject({
      method: "PATCH",
      url: `/v1/agents/${a.id}`,
      headers: bearer(owner.token),
      payload: { description: "Reads my inbox", iconUrl: "https://example.com/mail.png" },
    });
    expect(renamed.json()).toMatchObject({
      description: "Reads my inbox",
      iconUrl: "https://example.com/mail.png",
    });
    const badIcon = await t.app.inject({
      method: "PATCH",
      url: `/v1/agents/${a.id}`,
      headers: bearer(owner.token),
      payload: { iconUrl: "javascript:alert(1)" },
    });
    expect(badIcon.statusCode).toBe(400);
    const detail = await t.app.inject({
      method: "GET",
      url: `/v1/agents/${a.id}`,
      headers: bearer(owner.token),
    });
    expect(detail.json()).toMatchObject({ id: a.id, activeTokenCount: 0, policyCount: 0 });
    const list = await t.app.inject({
      method: "GET",
      url: "/v1/agents?status=created",
      headers: bearer(owner.token),
    });
    expect(list.json().items.map((x: { id: string }) => x.id)).toContain(a.id);
  });
});

describe("bootstrap", () => {
  it("enrolls an ES256 key once; a second use of the secret is 401 and audited", async () => {
    const a = await createAgent(t.app, owner.token, "Once");
    const key = await agentKey();
    const secret = await issueSecret(t.app, owner.token, a.id);
    expect(secret).toMatch(/^ah5b_/);
    const first = await bootstrap(t.app, secret, key.publicJwk);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      agentId: a.id,
      workspaceId: owner.workspaceId,
      status: "active",
      tokenEndpoint: "http://localhost:4000/v1/agents/token",
      assertion: {
        audience: "http://localhost:4000/v1/agents/token",
        maxLifetimeSeconds: 60,
        algs: ["ES256", "EdDSA"],
      },
    });
    const second = await bootstrap(t.app, secret, (await agentKey()).publicJwk);
    expect(second.statusCode).toBe(401);
    expect(second.json()).toMatchObject({ code: "BOOTSTRAP_INVALID", hint: expect.any(String) });
    const audit = await t.deps.database.db.query.auditEvents.findMany();
    expect(audit.filter((r) => r.agentId === a.id).map((r) => r.action)).toEqual(
      expect.arrayContaining(["agent.bootstrap_secret_issued", "agent.enrolled", "agent.bootstrap_failed"]),
    );
  });

  it("enrolls an EdDSA key", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Edwards", "EdDSA");
    expect((await me(a.token)).json()).toMatchObject({ agentId: a.id, status: "active" });
  });

  it("refuses an expired secret with the same answer as an unknown one", async () => {
    const a = await createAgent(t.app, owner.token, "Late");
    const secret = await issueSecret(t.app, owner.token, a.id);
    const late = await buildTestApp({
      sharedDatabase: t.deps.database,
      clock: { now: () => new Date(Date.now() + 3601_000) },
      env: {
        AUTH_SECRET: t.deps.config.AUTH_SECRET as string,
        ENCRYPTION_KEYS: t.deps.config.ENCRYPTION_KEYS as string,
      },
    });
    try {
      const res = await bootstrap(late.app, secret, (await agentKey()).publicJwk);
      const unknown = await bootstrap(late.app, `ah5b_${"x".repeat(43)}`, (await agentKey()).publicJwk);
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe("BOOTSTRAP_INVALID");
      expect({ ...res.json(), requestId: "" }).toEqual({ ...unknown.json(), requestId: "" });
    } finally {
      await late.app.close();
    }
  });

  it("refuses a private key, a bad key and a wrong curve without consuming the secret", async () => {
    const a = await createAgent(t.app, owner.token, "Careful");
    const key = await agentKey();
    const secret = await issueSecret(t.app, owner.token, a.id);
    for (const bad of [
      { ...key.publicJwk, d: "AAAA" },
      { ...key.publicJwk, x: "A".repeat(43) },
      { ...key.publicJwk, crv: "P-384" },
      { kty: "RSA", n: "abc", e: "AQAB" },
    ]) {
      const res = await bootstrap(t.app, secret, bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().code).toBe("VALIDATION_FAILED");
    }
    expect((await bootstrap(t.app, secret, key.publicJwk)).statusCode).toBe(200);
  });

  it("issuing a new secret invalidates the previous unused one", async () => {
    const a = await createAgent(t.app, owner.token, "Fresh");
    const old = await issueSecret(t.app, owner.token, a.id);
    const fresh = await issueSecret(t.app, owner.token, a.id);
    expect((await bootstrap(t.app, old, (await agentKey()).publicJwk)).statusCode).toBe(401);
    expect((await bootstrap(t.app, fresh, (await agentKey()).publicJwk)).statusCode).toBe(200);
  });

  it("re-keying with a new bootstrap kills the agent's tokens", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Rekey");
    const newKey = await agentKey();
    const res = await bootstrap(t.app, await issueSecret(t.app, owner.token, a.id), newKey.publicJwk);
    expect(res.statusCode).toBe(200);
    expect((await me(a.token)).statusCode).toBe(401);
    expect((await requestToken(t.app, await signAssertion(a.id, a.key))).statusCode).toBe(401);
    expect((await requestToken(t.app, await signAssertion(a.id, newKey))).statusCode).toBe(200);
  });

  it("stores bootstrap secrets and access tokens as SHA-256 hashes only", async () => {
    const a = await createAgent(t.app, owner.token, "Hashed");
    const key = await agentKey();
    const secret = await issueSecret(t.app, owner.token, a.id);
    const secretRows = async () => t.deps.database.db.query.agentBootstrapSecrets.findMany();
    const beforeUse = await secretRows();
    const mine = beforeUse.filter((r) => r.agentId === a.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.secretHash.toString("hex")).toBe(hashToken(secret).toString("hex"));
    for (const form of rawTokenForms(secret)) expect(dumpRows(beforeUse)).not.toContain(form);

    expect((await bootstrap(t.app, secret, key.publicJwk)).statusCode).toBe(200);
    for (const form of rawTokenForms(secret)) expect(dumpRows(await secretRows())).not.toContain(form);

    const issued = await requestToken(t.app, await signAssertion(a.id, key));
    expect(issued.statusCode).toBe(200);
    const token = issued.json().access_token as string;
    const tokenRows = await t.deps.database.db.query.agentAccessTokens.findMany();
    for (const form of rawTokenForms(token)) expect(dumpRows(tokenRows)).not.toContain(form);
    const own = tokenRows.filter((r) => r.agentId === a.id);
    expect(own).toHaveLength(1);
    expect(own[0]?.tokenHash.toString("hex")).toBe(hashToken(token).toString("hex"));
    for (const r of tokenRows) expect(r.tokenHash).toHaveLength(32);
  });

  it("lets exactly one of four concurrent bootstraps with one secret win, and enrolls the winner's key", async () => {
    const a = await createAgent(t.app, owner.token, "Racing enrollment");
    const secret = await issueSecret(t.app, owner.token, a.id);
    const keys: AgentKey[] = await Promise.all(Array.from({ length: 4 }, () => agentKey()));
    const results = await Promise.all(keys.map((k) => bootstrap(t.app, secret, k.publicJwk)));
    const statuses = results.map((r) => r.statusCode);
    expect([...statuses].sort()).toEqual([200, 401, 401, 401]);
    for (const r of results.filter((x) => x.statusCode === 401)) {
      expect(r.json().code).toBe("BOOTSTRAP_INVALID");
    }
    const winnerIndex = statuses.indexOf(200);
    const winner = keys[winnerIndex] as AgentKey;
    const thumbprint = await calculateJwkThumbprint(winner.publicJwk);
    expect(results[winnerIndex]?.json().keyThumbprint).toBe(thumbprint);
    const detail = await t.app.inject({
      method: "GET",
      url: `/v1/agents/${a.id}`,
      headers: bearer(owner.token),
    });
    expect(detail.json()).toMatchObject({ status: "active", keyThumbprint: thumbprint });
    expect((await requestToken(t.app, await signAssertion(a.id, winner))).statusCode).toBe(200);
    for (const loser of keys.filter((k) => k !== winner)) {
      expect((await requestToken(t.app, await signAssertion(a.id, loser))).statusCode).toBe(401);
    }
  });
});

describe("client assertions", () => {
  let agent: Awaited<ReturnType<typeof enrolledAgent>>;
  beforeAll(async () => {
    agent = await enrolledAgent(t.app, owner.token, "Asserter");
  });

  const expectCode = async (assertion: string, status: number, code: string) => {
    const res = await requestToken(t.app, assertion);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code, hint: expect.any(String) });
    return res.json();
  };

  it("issues an opaque token with the agent scopes", async () => {
    const res = await requestToken(t.app, await signAssertion(agent.id, agent.key));
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.json()).toMatchObject({
      access_token: expect.stringMatching(/^ah5t_[A-Za-z0-9_-]{43}$/),
      token_type: "Bearer",
      expires_in: 7200,
      scope: "vault:execute capabilities:read capabilities:request",
    });
  });

  it("accepts the form-encoded RFC 7523 body", async () => {
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: await signAssertion(agent.id, agent.key),
    }).toString();
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/agents/token",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
  });

  it("refuses a replayed assertion", async () => {
    const assertion = await signAssertion(agent.id, agent.key);
    expect((await requestToken(t.app, assertion)).statusCode).toBe(200);
    await expectCode(assertion, 401, "ASSERTION_REPLAYED");
  });

  it("refuses a lifetime over 60 s (10 minutes)", async () => {
    await expectCode(await signAssertion(agent.id, agent.key, { lifetime: 600 }), 401, "ASSERTION_INVALID");
  });

  it("refuses the wrong audience", async () => {
    await expectCode(
      await signAssertion(agent.id, agent.key, { aud: "https://evil.example/token" }),
      401,
      "ASSERTION_INVALID",
    );
  });

  it("refuses an assertion signed by another agent's key", async () => {
    const other = await enrolledAgent(t.app, owner.token, "Other");
    await expectCode(await signAssertion(agent.id, other.key), 401, "ASSERTION_INVALID");
  });

  it("refuses an alg that does not match the enrolled key", async () => {
    const ed = await agentKey("EdDSA");
    await expectCode(await signAssertion(agent.id, ed), 401, "ASSERTION_INVALID");
  });

  it("reports clock skew with the server time", async () => {
    const future = await expectCode(
      await signAssertion(agent.id, agent.key, { iatOffset: 120 }),
      401,
      "CLOCK_SKEW",
    );
    expect(future.details.serverTime).toEqual(expect.any(String));
    await expectCode(await signAssertion(agent.id, agent.key, { iatOffset: -120 }), 401, "CLOCK_SKEW");
  });

  it("refuses unknown agents, non-UUID subjects and garbage", async () => {
    await expectCode(await signAssertion(randomUUID(), agent.key), 401, "ASSERTION_INVALID");
    await expectCode(await signAssertion("not-a-uuid", agent.key), 401, "ASSERTION_INVALID");
    await expectCode("garbage", 401, "ASSERTION_INVALID");
    await expectCode(
      await signAssertion(agent.id, agent.key, { sub: randomUUID() }),
      401,
      "ASSERTION_INVALID",
    );
  });

  it("refuses a short jti", async () => {
    await expectCode(await signAssertion(agent.id, agent.key, { jti: "short" }), 401, "ASSERTION_INVALID");
  });

  it("says when the agent is not enrolled yet", async () => {
    const a = await createAgent(t.app, owner.token, "Unenrolled");
    await expectCode(await signAssertion(a.id, agent.key), 409, "AGENT_NOT_ENROLLED");
  });

  it("validates the grant", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/agents/token",
      payload: { grant_type: "password", client_assertion_type: "x", client_assertion: "y" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("VALIDATION_FAILED");
  });

  it("keeps at most 10 live tokens per agent", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Many");
    const tokens = [a.token];
    for (let i = 0; i < 10; i++)
      tokens.push((await requestToken(t.app, await signAssertion(a.id, a.key))).json().access_token);
    const detail = await t.app.inject({
      method: "GET",
      url: `/v1/agents/${a.id}`,
      headers: bearer(owner.token),
    });
    expect(detail.json().activeTokenCount).toBe(10);
    expect((await me(tokens[0] as string)).statusCode).toBe(401);
    expect((await me(tokens[10] as string)).statusCode).toBe(200);
  });

  it("keeps the limit exact when many exchanges share one commit", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Burst");
    const assertions = await Promise.all(Array.from({ length: 25 }, () => signAssertion(a.id, a.key)));
    const results = await Promise.all(assertions.map((x) => requestToken(t.app, x)));
    expect(results.map((r) => r.statusCode)).toEqual(Array(25).fill(200));
    const detail = await t.app.inject({
      method: "GET",
      url: `/v1/agents/${a.id}`,
      headers: bearer(owner.token),
    });
    expect(detail.json().activeTokenCount).toBe(10);
    const live = await Promise.all(results.map(async (r) => (await me(r.json().access_token)).statusCode));
    expect(live.filter((s) => s === 200)).toHaveLength(10);
  });

  it("never lets one commit hold more live tokens of an agent than the limit", async () => {
    const a = await enrolledAgent(t.app, owner.token, "One batch");
    const issuer = createTokenIssuer({ database: t.deps.database, maxLive: 3 });
    const now = new Date();
    const issue = (jti: string) =>
      issuer.issue({
        jti,
        jtiExpiresAt: new Date(now.getTime() + 65_000),
        id: newId(),
        workspaceId: owner.workspaceId,
        agentId: a.id,
        tokenHash: randomBytes(32),
        prefix: "test0000",
        scopes: ["vault:execute"],
        expiresAt: new Date(now.getTime() + 3_600_000),
        now,
      });
    // Submitted in one tick: one batch, with a duplicate jti and more tokens than the limit.
    const jtis = Array.from({ length: 8 }, () => randomUUID());
    const results = await Promise.all([...jtis, jtis[0] as string].map(issue));
    expect(results).toEqual([...Array(8).fill(true), false]);
    const live = await t.deps.database.prepared<{ n: number }>(
      "select count(*)::int as n from t_agent_access_tokens where agent_id = $1 and revoked_at is null",
      [a.id],
    );
    expect(live[0]?.n).toBe(3);
    expect(await issue(jtis[3] as string)).toBe(false); // a later batch sees the jti too
  });

  it("lets a concurrently replayed assertion win exactly once", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Racer");
    const assertion = await signAssertion(a.id, a.key);
    const results = await Promise.all(Array.from({ length: 6 }, () => requestToken(t.app, assertion)));
    const codes = results.map((r) => (r.statusCode === 200 ? "ok" : r.json().code));
    expect(codes.filter((c) => c === "ok")).toHaveLength(1);
    expect(codes.filter((c) => c === "ASSERTION_REPLAYED")).toHaveLength(5);
  });
});

describe("disable, enable, revoke, delete", () => {
  it("disabling stops the agent's tokens at once; enabling does not revive them", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Switch");
    expect((await me(a.token)).statusCode).toBe(200);
    const off = await t.app.inject({
      method: "POST",
      url: `/v1/agents/${a.id}/disable`,
      headers: bearer(owner.token),
    });
    expect(off.json().status).toBe("disabled");
    const res = await me(a.token);
    expect(res.statusCode).toBe(401);
    const tok = await requestToken(t.app, await signAssertion(a.id, a.key));
    expect(tok.statusCode).toBe(403);
    expect(tok.json().code).toBe("AGENT_DISABLED");
    const secret = await t.app.inject({
      method: "POST",
      url: `/v1/agents/${a.id}/bootstrap-secrets`,
      headers: bearer(owner.token),
    });
    expect(secret.statusCode).toBe(409);
    expect(secret.json().code).toBe("AGENT_DISABLED");
    const again = await t.app.inject({
      method: "POST",
      url: `/v1/agents/${a.id}/disable`,
      headers: bearer(owner.token),
    });
    expect(again.statusCode).toBe(409);
    const on = await t.app.inject({
      method: "POST",
      url: `/v1/agents/${a.id}/enable`,
      headers: bearer(owner.token),
    });
    expect(on.json().status).toBe("active");
    expect((await me(a.token)).statusCode).toBe(401);
    expect((await requestToken(t.app, await signAssertion(a.id, a.key))).statusCode).toBe(200);
  });

  it("revokes all tokens on request, and an agent can log out", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Revoked");
    const res = await t.app.inject({
      method: "DELETE",
      url: `/v1/agents/${a.id}/tokens`,
      headers: bearer(owner.token),
    });
    expect(res.json()).toEqual({ revoked: 1 });
    expect((await me(a.token)).statusCode).toBe(401);
    const b = await enrolledAgent(t.app, owner.token, "Leaver");
    expect(
      (await t.app.inject({ method: "DELETE", url: "/v1/agent/token", headers: bearer(b.token) })).statusCode,
    ).toBe(204);
    expect((await me(b.token)).statusCode).toBe(401);
  });

  it("deletes an agent; its audit rows stay", async () => {
    const a = await enrolledAgent(t.app, owner.token, "Gone");
    expect(
      (await t.app.inject({ method: "DELETE", url: `/v1/agents/${a.id}`, headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: "GET", url: `/v1/agents/${a.id}`, headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(404);
    expect((await me(a.token)).statusCode).toBe(401);
    const audit = await t.deps.database.db.query.auditEvents.findMany();
    expect(audit.filter((r) => r.agentId === a.id).map((r) => r.action)).toContain("agent.deleted");
  });

  it("answers 404 for another workspace's agent and stops members touching others' agents", async () => {
    const stranger = await createUser(t.app, t.deps, "agents-stranger@example.com");
    const a = await createAgent(t.app, owner.token, "Private");
    for (const [method, url] of [
      ["GET", `/v1/agents/${a.id}`],
      ["POST", `/v1/agents/${a.id}/disable`],
      ["POST", `/v1/agents/${a.id}/bootstrap-secrets`],
      ["DELETE", `/v1/agents/${a.id}`],
    ] as const) {
      expect((await t.app.inject({ method, url, headers: bearer(stranger.token) })).statusCode).toBe(404);
    }
  });
});

describe("anti-abuse limits (production defaults)", () => {
  it("limits bootstrap to 5 per minute per IP and token requests to 30 per minute per agent", async () => {
    const strict = await buildTestApp({
      sharedDatabase: t.deps.database,
      env: {
        AUTH_SECRET: t.deps.config.AUTH_SECRET as string,
        ENCRYPTION_KEYS: t.deps.config.ENCRYPTION_KEYS as string,
        AGENT_BOOTSTRAP_PER_MINUTE_PER_IP: "5",
        AGENT_TOKEN_PER_MINUTE_PER_IP: "60",
        AGENT_TOKEN_PER_MINUTE_PER_AGENT: "30",
      },
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 6; i++)
        codes.push(
          (await bootstrap(strict.app, `ah5b_${"z".repeat(43)}`, (await agentKey()).publicJwk)).statusCode,
        );
      expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
      const a = await enrolledAgent(t.app, owner.token, "Chatty");
      const statuses: number[] = [];
      for (let i = 0; i < 31; i++)
        statuses.push((await requestToken(strict.app, await signAssertion(a.id, a.key))).statusCode);
      expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
      const last = await requestToken(strict.app, await signAssertion(a.id, a.key));
      expect(last.statusCode).toBe(429);
      expect(last.headers["retry-after"]).toEqual(expect.any(String));
      expect(last.json().code).toBe("RATE_LIMITED");
    } finally {
      await strict.app.close();
    }
  });

  it("limits bootstrap to 20 per hour per IP as well", async () => {
    const hourly = await buildTestApp({
      sharedDatabase: t.deps.database,
      env: {
        AUTH_SECRET: t.deps.config.AUTH_SECRET as string,
        ENCRYPTION_KEYS: t.deps.config.ENCRYPTION_KEYS as string,
        AGENT_BOOTSTRAP_PER_HOUR_PER_IP: "20",
      },
    });
    try {
      const key = (await agentKey()).publicJwk;
      const codes: number[] = [];
      for (let i = 0; i < 21; i++)
        codes.push((await bootstrap(hourly.app, `ah5b_${"y".repeat(43)}`, key)).statusCode);
      expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
      expect(codes[20]).toBe(429);
    } finally {
      await hourly.app.close();
    }
  });
});
