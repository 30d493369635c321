import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, exchange, lastMail, type SignedInUser } from "./helpers/flows.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

const SECRET = "sk-upstream-secret-0123456789";
let t: TestApp;
let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
let owner: SignedInUser;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;
let connectionId: string;

const policyDocument = () => ({
  version: 1,
  allowedModels: ["B"],
  defaultMode: "custom",
  defaultAction: "deny",
  allowlists: [{ origin: upstream.origin, paths: ["/v1/**"], methods: ["GET", "POST", "DELETE"] }],
  requestRules: [
    { id: "r-read", match: { methods: ["GET"], path: "/v1/**" }, action: "allow" },
    { id: "r-send", match: { methods: ["POST"], path: "/v1/echo" }, action: "require_approval" },
    { id: "r-delete", match: { methods: ["DELETE"] }, action: "deny", hint: "Deleting is never allowed." },
  ],
  responseRules: [
    { id: "p-items", match: { path: "/v1/items" }, transform: { redactPii: { types: ["email", "phone"] } } },
  ],
});

const execute = (token: string, payload: object) =>
  t.app.inject({ method: "POST", url: "/v1/vault/execute", headers: bearer(token), payload });

beforeAll(async () => {
  upstream = await startProviderUpstream();
  t = await buildTestApp({
    env: { VAULT_DEV_ALLOW_HOSTS: upstream.host },
    verifyApiKey: async (input) => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local API",
      accountId: `acct-${createHash("sha256").update(input.secret).digest("hex").slice(0, 8)}`,
    }),
  });
  owner = await createUser(t.app, t.deps, "vault-owner@example.com", "Vic");
  agent = await enrolledAgent(t.app, owner.token, "Vault agent");
  const conn = await t.app.inject({
    method: "POST",
    url: "/v1/connections/api-key",
    headers: bearer(owner.token),
    payload: { provider: "generic-api-key", label: "Local API", secret: SECRET },
  });
  expect(conn.statusCode).toBe(201);
  expect(conn.body).not.toContain(SECRET);
  connectionId = conn.json().id;
  const policy = await t.app.inject({
    method: "POST",
    url: "/v1/policies",
    headers: bearer(owner.token),
    payload: { agentId: agent.id, connectionId, document: policyDocument() },
  });
  expect(policy.statusCode).toBe(201);
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

describe("Model B brokered calls", () => {
  it("executes an allowed call with the stored credential, filters PII and audits it", async () => {
    const res = await execute(agent.token, {
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/v1/items`,
      query: { limit: "5" },
      headers: { authorization: "Bearer stolen", "x-trace": "t1" },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ model: "B", status: 200, truncated: false, auditId: expect.any(String) });
    expect(body.body.items[0].owner).toBe("[REDACTED:email]");
    expect(body.redactions.length).toBeGreaterThan(0);
    expect(body.headers["set-cookie"]).toBeUndefined();
    const last = upstream.seen[upstream.seen.length - 1];
    expect(last?.url).toBe("/v1/items?limit=5");
    expect(last?.headers.authorization).toBe(`Bearer ${SECRET}`);
    expect(last?.headers["x-trace"]).toBe("t1");
    expect(res.body).not.toContain(SECRET);
    await t.deps.auditWriter.flush();
    const audit = await t.deps.database.db.query.auditEvents.findMany({
      where: (e, { eq }) => eq(e.id, body.auditId),
    });
    expect(audit[0]).toMatchObject({ action: "vault.executed", httpStatus: 200, agentId: agent.id });
    expect(JSON.stringify(audit)).not.toContain(SECRET);
    let lastUsedAt: string | null = null;
    for (let i = 0; i < 40 && !lastUsedAt; i++) {
      const conn = await t.app.inject({
        method: "GET",
        url: `/v1/connections/${connectionId}`,
        headers: bearer(owner.token),
      });
      lastUsedAt = conn.json().lastUsedAt;
      if (!lastUsedAt) await new Promise((r) => setTimeout(r, 25));
    }
    expect(lastUsedAt).toEqual(expect.any(String)); // the dashboard shows when a connection was last used
  });

  it("passes provider errors through as data with HTTP 200", async () => {
    const res = await execute(agent.token, {
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/v1/missing`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 404, body: { error: "not_found" } });
  });

  it("denies with the rule's code and hint, and audits the denial", async () => {
    const res = await execute(agent.token, {
      model: "B",
      connectionId,
      method: "DELETE",
      url: `${upstream.origin}/v1/items`,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: "POLICY_DENIED",
      hint: "Deleting is never allowed.",
      details: { ruleId: "r-delete" },
    });
    const auditId = res.json().details.auditId;
    await t.deps.auditWriter.flush();
    const row = await t.deps.database.db.query.auditEvents.findFirst({
      where: (e, { eq }) => eq(e.id, auditId),
    });
    expect(row).toMatchObject({ action: "vault.denied", code: "POLICY_DENIED" });
  });

  it("refuses hosts and paths outside the allowlist", async () => {
    const host = await execute(agent.token, {
      model: "B",
      connectionId,
      method: "GET",
      url: "https://example.com/v1/items",
    });
    expect(host.json().code).toBe("HOST_NOT_ALLOWLISTED");
    const path = await execute(agent.token, {
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/admin`,
    });
    expect(path.json().code).toBe("PATH_NOT_ALLOWLISTED");
  });

  it("blocks SSRF: metadata IP literals and a redirect to one", async () => {
    for (const url of [
      "http://169.254.169.254/latest/meta-data/",
      "https://[::ffff:127.0.0.1]/",
      "https://2130706433/",
    ]) {
      const res = await execute(agent.token, { model: "B", connectionId, method: "GET", url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(["SSRF_BLOCKED", "INVALID_URL"], url).toContain(res.json().code);
    }
    const redirect = await execute(agent.token, {
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/v1/redirect-metadata`,
    });
    expect(redirect.statusCode).toBe(403);
    expect(redirect.json().code).toBe("SSRF_BLOCKED");
  });

  it("answers NO_POLICY for a connection the agent is not bound to, and for another workspace's", async () => {
    const other = await createUser(t.app, t.deps, "vault-other@example.com");
    const foreign = await t.app.inject({
      method: "POST",
      url: "/v1/connections/api-key",
      headers: bearer(other.token),
      payload: { provider: "generic-api-key", label: "Theirs", secret: "sk-theirs" },
    });
    const res = await execute(agent.token, {
      model: "B",
      connectionId: foreign.json().id,
      method: "GET",
      url: `${upstream.origin}/v1/items`,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "NO_POLICY", hint: expect.stringContaining("permission") });
  });

  it("lists only the agent's own bound connections, without secrets", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/agent/connections",
      headers: bearer(agent.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().items).toEqual([
      expect.objectContaining({
        connectionId,
        provider: "generic-api-key",
        allowedModels: ["B"],
        policyVersion: 1,
      }),
    ]);
    expect(res.body).not.toContain(SECRET);
    const other = await enrolledAgent(t.app, owner.token, "Unbound agent");
    const none = await t.app.inject({
      method: "GET",
      url: "/v1/agent/connections",
      headers: bearer(other.token),
    });
    expect(none.json().items).toEqual([]);
  });

  it("never sends a provider's key to another origin, even when a policy allows that origin", async () => {
    const conn = await t.app.inject({
      method: "POST",
      url: "/v1/connections/api-key",
      headers: bearer(owner.token),
      payload: { provider: "openai", label: "OpenAI", secret: "sk-openai-secret" },
    });
    expect(conn.statusCode).toBe(201);
    const careless = {
      version: 1,
      allowedModels: ["B"],
      defaultMode: "read_write",
      allowlists: [{ origin: "https://collector.example", paths: ["/**"], methods: ["GET"] }],
    };
    await t.app.inject({
      method: "POST",
      url: "/v1/policies",
      headers: bearer(owner.token),
      payload: { agentId: agent.id, connectionId: conn.json().id, document: careless },
    });
    const res = await execute(agent.token, {
      model: "B",
      connectionId: conn.json().id,
      method: "GET",
      url: "https://collector.example/steal",
    });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: "HOST_NOT_ALLOWLISTED", hint: expect.any(String) });
    expect(res.body).not.toContain("sk-openai-secret");
  });

  it("is refused to people", async () => {
    const res = await execute(owner.token, {
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/v1/items`,
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
  });
});

describe("approvals", () => {
  const send = (body: unknown, approvalId?: string) =>
    execute(agent.token, {
      model: "B",
      connectionId,
      method: "POST",
      url: `${upstream.origin}/v1/echo`,
      body,
      ...(approvalId ? { approvalId } : {}),
    });

  it("asks, a person approves, the identical request runs once", async () => {
    const ask = await send({ to: "bob", text: "hi" });
    expect(ask.statusCode).toBe(202);
    expect(ask.headers["x-ah5-approval-required"]).toBe("true");
    const { approvalRequestId } = ask.json();
    expect(ask.json()).toMatchObject({
      approvalRequired: true,
      code: "APPROVAL_REQUIRED",
      ruleId: "r-send",
      hint: expect.any(String),
    });

    const pending = await send({ to: "bob", text: "hi" }, approvalRequestId);
    expect(pending.json().code).toBe("APPROVAL_PENDING");

    const mine = await t.app.inject({
      method: "GET",
      url: `/v1/approvals/${approvalRequestId}`,
      headers: bearer(agent.token),
    });
    expect(mine.json()).toMatchObject({ status: "pending", request: { method: "POST", path: "/v1/echo" } });

    // The person deciding sees what would be sent, with credential-like fields hidden.
    const detail = await t.app.inject({
      method: "GET",
      url: `/v1/approvals/${approvalRequestId}`,
      headers: bearer(owner.token),
    });
    expect(detail.json().request).toMatchObject({
      bodyPreview: { to: "bob", text: "hi" },
      bodySha256: expect.any(String),
    });
    const secretive = await send({ to: "eve", password: "hunter2", text: "x".repeat(2000) });
    const secretDetail = await t.app.inject({
      method: "GET",
      url: `/v1/approvals/${secretive.json().approvalRequestId}`,
      headers: bearer(owner.token),
    });
    const preview = secretDetail.json().request.bodyPreview;
    expect(preview.password).toBe("[REDACTED]");
    expect(preview.text).toContain("(+1500 chars)");
    expect(secretDetail.body).not.toContain("hunter2");

    const stranger = await enrolledAgent(t.app, owner.token, "Other agent");
    const peek = await t.app.inject({
      method: "GET",
      url: `/v1/approvals/${approvalRequestId}`,
      headers: bearer(stranger.token),
    });
    expect(peek.statusCode).toBe(404);

    const byAgent = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalRequestId}/approve`,
      headers: bearer(agent.token),
    });
    expect(byAgent.json().code).toBe("PRINCIPAL_NOT_ALLOWED");

    const approved = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalRequestId}/approve`,
      headers: bearer(owner.token),
      payload: { note: "ok" },
    });
    expect(approved.json().status).toBe("approved");
    const twice = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalRequestId}/deny`,
      headers: bearer(owner.token),
    });
    expect(twice.json()).toMatchObject({ code: "CONFLICT" });

    const swapped = await send({ to: "mallory", text: "hi" }, approvalRequestId);
    expect(swapped.statusCode).toBe(409);
    expect(swapped.json()).toMatchObject({ code: "APPROVAL_MISMATCH", details: { fields: ["request"] } });

    const run = await send({ to: "bob", text: "hi" }, approvalRequestId);
    expect(run.statusCode).toBe(200);
    expect(run.json().body).toEqual({ method: "POST", body: { to: "bob", text: "hi" } });

    const replay = await send({ to: "bob", text: "hi" }, approvalRequestId);
    expect(replay.json().code).toBe("APPROVAL_ALREADY_USED");
  });

  it("a denied approval stays denied; a viewer cannot decide", async () => {
    const ask = await send({ n: 2 });
    const id = ask.json().approvalRequestId;
    const email = "vault-viewer@example.com";
    const viewer = await createUser(t.app, t.deps, email);
    await t.app.inject({
      method: "POST",
      url: "/v1/invitations",
      headers: bearer(owner.token),
      payload: { email, role: "viewer" },
    });
    const token = new URL(lastMail(t.deps, email, "invitation").link as string).searchParams.get("token");
    await t.app.inject({
      method: "POST",
      url: "/v1/invitations/accept",
      headers: bearer(viewer.token),
      payload: { token },
    });
    const viewerJwt = (await exchange(t.app, viewer.cookie, owner.workspaceId)).json().accessToken;
    const refused = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${id}/approve`,
      headers: bearer(viewerJwt),
    });
    expect(refused.json().code).toBe("SCOPE_MISSING");
    await t.app.inject({ method: "POST", url: `/v1/approvals/${id}/deny`, headers: bearer(owner.token) });
    const res = await send({ n: 2 }, id);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("APPROVAL_DENIED");
  });

  it("an agent long-polls its approval and sees the decision", async () => {
    const id = (await send({ n: 3 })).json().approvalRequestId;
    const poll = t.app.inject({
      method: "GET",
      url: `/v1/approvals/${id}?wait=10`,
      headers: bearer(agent.token),
    });
    await new Promise((r) => setTimeout(r, 100));
    await t.app.inject({ method: "POST", url: `/v1/approvals/${id}/approve`, headers: bearer(owner.token) });
    const res = await poll;
    expect(res.json().status).toBe("approved");
  });
});

describe("connection states", () => {
  it("a revoked connection stops the vault at once", async () => {
    const conn = await t.app.inject({
      method: "POST",
      url: "/v1/connections/api-key",
      headers: bearer(owner.token),
      payload: { provider: "generic-api-key", label: "Short lived", secret: "sk-short" },
    });
    const id = conn.json().id;
    await t.app.inject({
      method: "POST",
      url: "/v1/policies",
      headers: bearer(owner.token),
      payload: { agentId: agent.id, connectionId: id, document: policyDocument() },
    });
    expect(
      (
        await execute(agent.token, {
          model: "B",
          connectionId: id,
          method: "GET",
          url: `${upstream.origin}/v1/text`,
        })
      ).json().body,
    ).toBe("plain words");
    expect(
      (await t.app.inject({ method: "DELETE", url: `/v1/connections/${id}`, headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(204);
    const res = await execute(agent.token, {
      model: "B",
      connectionId: id,
      method: "GET",
      url: `${upstream.origin}/v1/text`,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("CONNECTION_REVOKED");
    const row = await t.deps.database.db.query.connections.findFirst({ where: (c, { eq }) => eq(c.id, id) });
    expect(row?.credentialEnvelope).toBeNull();
  });
});
