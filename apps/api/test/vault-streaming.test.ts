import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

/** Stream and download modes (API.md §3.9.3) and the transparent LLM proxy (§3.10). */
const KEY = "sk-local-stream-0123456789";
const OPENAI_KEY = "sk-openai-CANARY-0123456789";
let t: TestApp;
let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
let owner: SignedInUser;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;
let localId: string;
let openaiId: string;

const req = (method: "GET" | "POST", url: string, token: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const execute = (payload: object) =>
  req("POST", "/v1/vault/execute", agent.token, { model: "B", connectionId: localId, ...payload });

const llm = (path: string, payload: object | undefined, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: payload ? "POST" : "GET",
    url: `/v1/vault/llm/${path}`,
    headers: { "x-api-key": agent.token, ...headers },
    ...(payload ? { payload } : {}),
  });

async function connect(provider: string, label: string, secret: string, extra?: Record<string, string>) {
  const res = await req("POST", "/v1/connections/api-key", owner.token, {
    provider,
    label,
    secret,
    ...(extra ? { extra } : {}),
  });
  expect(res.statusCode).toBe(201);
  return res.json().id as string;
}

async function bind(connectionId: string, document: object) {
  const res = await req("POST", "/v1/policies", owner.token, { agentId: agent.id, connectionId, document });
  expect(res.statusCode).toBe(201);
}

beforeAll(async () => {
  upstream = await startProviderUpstream();
  t = await buildTestApp({
    env: { VAULT_DEV_ALLOW_HOSTS: upstream.host },
    llmUpstreams: { openai: `${upstream.origin}/v1` },
    verifyApiKey: async (input) => ({
      authType: "api_key",
      service: input.provider === "openai" ? "openai-api" : "generic-api-key-http",
      providerLabel: input.provider,
      accountId: `acct-${input.secret.slice(3, 12)}`,
    }),
  });
  owner = await createUser(t.app, t.deps, "stream-owner@example.com", "Stu");
  agent = await enrolledAgent(t.app, owner.token, "Streamer");
  localId = await connect("generic-api-key", "Local", KEY, { origin: upstream.origin });
  await bind(localId, {
    version: 1,
    allowedModels: ["B"],
    defaultMode: "custom",
    defaultAction: "allow",
    allowlists: [{ origin: upstream.origin, paths: ["/v1/**"], methods: ["GET"] }],
    responseRules: [
      { id: "pii", match: { path: "/v1/events" }, transform: { redactPii: { types: ["email"] } } },
    ],
    limits: { maxResponseBytes: 32 * 1024 },
  });
  openaiId = await connect("openai", "OpenAI", OPENAI_KEY);
  await bind(openaiId, {
    version: 1,
    allowedModels: ["B"],
    defaultMode: "custom",
    defaultAction: "allow",
    allowlists: [
      {
        origin: upstream.origin,
        paths: ["/v1/chat/completions", "/v1/models", "/v1/quota"],
        methods: ["GET", "POST"],
      },
    ],
    requestRules: [
      {
        id: "no-gpt5",
        match: { body: [{ path: "model", op: "eq", value: "gpt-5" }] },
        action: "deny",
        hint: "Use gpt-4o-mini.",
      },
      {
        id: "big-ask",
        match: { body: [{ path: "max_tokens", op: "gt", value: 10000 }] },
        action: "require_approval",
      },
    ],
  });
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

describe("stream and download", () => {
  it("streams an SSE answer through, filtering each event", async () => {
    const res = await execute({ method: "GET", url: `${upstream.origin}/v1/events`, stream: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/event-stream");
    expect(res.headers["x-audit-id"]).toEqual(expect.any(String));
    expect(res.body).toContain("Hello ");
    expect(res.body).toContain("[REDACTED:email]");
    expect(res.body).not.toContain("alice@example.com");
    expect(res.body).toContain("[DONE]");
    await t.deps.auditWriter.flush();
    const [row] = await t.deps.database.db.query.auditEvents.findMany({
      where: (e, { eq }) => eq(e.id, String(res.headers["x-audit-id"])),
    });
    expect(row).toMatchObject({
      action: "vault.executed",
      httpStatus: 200,
      details: expect.objectContaining({ mode: "stream" }),
    });
  });

  it("downloads raw bytes with a safe Content-Disposition", async () => {
    const res = await execute({
      method: "GET",
      url: `${upstream.origin}/v1/files/report.pdf`,
      download: true,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toBe('attachment; filename="report.pdf"');
    expect(res.rawPayload).toEqual(Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x10]));
  });

  it("answers a failed download with the envelope, marked so it is never saved as the file", async () => {
    const res = await execute({ method: "GET", url: `${upstream.origin}/v1/missing`, download: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers["x-vault-envelope"]).toBe("1");
    expect(res.json()).toMatchObject({ model: "B", status: 404 });
  });

  it("refuses to download what a response rule must filter", async () => {
    const res = await execute({ method: "GET", url: `${upstream.origin}/v1/events`, download: true });
    expect(res.statusCode).toBe(502);
    expect(res.json()).toMatchObject({
      code: "RESPONSE_UNFILTERABLE",
      hint: expect.stringContaining("download"),
    });
  });

  it("cuts a stream past maxResponseBytes and records it", async () => {
    const res = await execute({ method: "GET", url: `${upstream.origin}/v1/big`, download: true }).catch(
      (e) => e,
    );
    const received = res instanceof Error ? 0 : res.rawPayload.length;
    expect(received).toBeLessThan(64 * 1024);
    await new Promise((r) => setTimeout(r, 50));
    await t.deps.auditWriter.flush();
    const cut = await t.deps.database.db.query.auditEvents.findMany({
      where: (e, { eq }) => eq(e.action, "vault.stream_cut"),
    });
    expect(cut.some((c) => c.code === "RESPONSE_TOO_LARGE")).toBe(true);
  });
});

describe("transparent LLM proxy", () => {
  it("passes a completion through with the stored key, the agent token never reaching the provider", async () => {
    const res = await llm("openai/chat/completions", {
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: "cmpl-1",
      choices: [{ message: { role: "assistant", content: "Hi" } }],
    });
    const seen = upstream.seen.at(-1);
    expect(seen?.url).toBe("/v1/chat/completions");
    expect(seen?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(JSON.stringify(seen?.headers)).not.toContain(agent.token);
    expect(res.body).not.toContain(OPENAI_KEY);
  });

  it("streams a model's answer, and accepts the token as a Bearer header too", async () => {
    const res = await llm(
      "openai/chat/completions",
      { model: "gpt-4o-mini", stream: true, messages: [] },
      { authorization: `Bearer ${agent.token}`, "x-api-key": "" },
    );
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/event-stream");
    expect(res.body).toContain('"delta":"Hello "');
  });

  it("passes provider errors through unchanged", async () => {
    const res = await llm("openai/quota", {});
    expect(res.statusCode).toBe(429);
    expect(res.json()).toEqual({ error: { message: "rate limited" } });
    expect(res.headers["x-ah5-error-code"]).toBeUndefined();
  });

  it("answers our denials in our shape, marked with x-ah5-error-code", async () => {
    const denied = await llm("openai/chat/completions", { model: "gpt-5", messages: [] });
    expect(denied.statusCode).toBe(403);
    expect(denied.headers["x-ah5-error-code"]).toBe("POLICY_DENIED");
    expect(denied.json()).toMatchObject({ code: "POLICY_DENIED", hint: "Use gpt-4o-mini." });
    const unknown = await llm("mistral/v1/chat", { model: "x" });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers["x-ah5-error-code"]).toBe("NOT_FOUND");
  });

  it("asks for approval with headers, never a synthetic model message", async () => {
    const res = await llm("openai/chat/completions", {
      model: "gpt-4o-mini",
      max_tokens: 50_000,
      messages: [],
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers["x-ah5-approval-required"]).toBe("true");
    expect(res.headers["x-ah5-approval-request-id"]).toBe(res.json().approvalRequestId);
  });

  it("needs the connection header when several connections of the provider are granted", async () => {
    const second = await connect("openai", "OpenAI 2", "sk-openai-second-0123456789");
    await bind(second, {
      version: 1,
      allowedModels: ["B"],
      defaultMode: "read_write",
      allowlists: [{ origin: upstream.origin, paths: ["/v1/**"], methods: ["POST"] }],
    });
    const ambiguous = await llm("openai/chat/completions", { model: "gpt-4o-mini", messages: [] });
    expect(ambiguous.statusCode).toBe(409);
    expect(ambiguous.json().hint).toContain(second);
    const chosen = await llm(
      "openai/chat/completions",
      { model: "gpt-4o-mini", messages: [] },
      { "x-ah5-connection-id": second },
    );
    expect(chosen.statusCode).toBe(200);
    expect(upstream.seen.at(-1)?.headers.authorization).toBe("Bearer sk-openai-second-0123456789");
  });

  it("cannot leave the provider's base path, and x-api-key works on this route only", async () => {
    const seenBefore = upstream.seen.length;
    for (const path of ["openai/../../admin", "openai/%2e%2e/%2e%2e/admin", "openai//evil.example/x"]) {
      const res = await llm(path, { model: "gpt-4o-mini" });
      expect(res.statusCode, path).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, path).toBeLessThan(500);
    }
    expect(upstream.seen.length).toBe(seenBefore); // nothing reached a provider
    const elsewhere = await t.app.inject({
      method: "GET",
      url: "/v1/agent/me",
      headers: { "x-api-key": agent.token },
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it("is an agent route", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/vault/llm/openai/chat/completions",
      headers: bearer(owner.token),
      payload: {},
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
  });
});
