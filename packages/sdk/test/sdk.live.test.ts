import { chmodSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AgentHiFiveClient, AgentHiFiveError, isApprovalRequired } from "../src/index.js";
import {
  createHuman,
  createPat,
  type Human,
  type LiveApi,
  seedConnectionAndPolicy,
  startLiveApi,
} from "./helpers/live-api.js";

let api: LiveApi;
let human: Human;
let admin: AgentHiFiveClient;
let agentId: string;
let connectionId: string;
let keyFile: string;

beforeAll(async () => {
  api = await startLiveApi();
  human = await createHuman(api);
  admin = new AgentHiFiveClient({ baseUrl: api.url, token: await createPat(api, human) });
  const agent = await admin.agents.create({ name: "SDK agent" });
  agentId = agent.id;
  ({ connectionId } = await seedConnectionAndPolicy(api, human, agentId));
  keyFile = join(mkdtempSync(join(tmpdir(), "ah5-sdk-")), "agent-key.json");
}, 90_000);
afterAll(async () => {
  await api?.stop();
});

describe("agent mode against a real API", () => {
  let agent: AgentHiFiveClient;

  it("generates a key (0600), bootstraps from a secret and gets a token", async () => {
    const { bootstrapSecret } = await admin.agents.issueBootstrapSecret(agentId);
    expect(bootstrapSecret).toMatch(/^ah5b_/);
    agent = new AgentHiFiveClient({ baseUrl: api.url, agent: { keyFile, bootstrapSecret } });
    const me = await agent.agent.me();
    expect(me.agentId).toBe(agentId);
    expect(me.status).toBe("active");
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(readFileSync(keyFile, "utf8"));
    expect(saved.agentId).toBe(agentId);
    expect(saved.privateKey.d).toBeTypeOf("string");
    expect(await agent.accessToken()).toMatch(/^ah5t_/);
  });

  it("reuses the enrolled key file without a secret, but not a key others can read", async () => {
    const again = new AgentHiFiveClient({ baseUrl: api.url, agent: { keyFile } });
    const who = await again.whoami();
    expect(who).toMatchObject({ kind: "agent", agent: { agentId } });
    chmodSync(keyFile, 0o644);
    const loose = new AgentHiFiveClient({ baseUrl: api.url, agent: { keyFile } });
    await expect(loose.agent.me()).rejects.toMatchObject({
      code: "KEY_INSECURE",
      hint: `Run: chmod 600 ${keyFile}`,
    });
    chmodSync(keyFile, 0o600);
  });

  it("lists its connections and executes a Model B call", async () => {
    const connections = await agent.agent.connections();
    expect(connections.items.map((c) => c.connectionId)).toContain(connectionId);
    const result = await agent.vault.execute({
      model: "B",
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(isApprovalRequired(result)).toBe(false);
    expect(result).toMatchObject({ model: "B", status: 200, body: { items: [{ id: "a1" }] } });
  });

  it("downloads raw bytes (download: true) with the provider's file name and the audit id", async () => {
    const result = await agent.vault.download({
      model: "B",
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/files/report.txt`,
    });
    if (result.kind !== "raw") throw new Error(`expected raw bytes, got ${JSON.stringify(result)}`);
    expect(result.fileName).toBe("../../report.txt"); // unsanitised: callers must never use it as a path
    expect(result.auditId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await new Response(result.body).text()).toBe("quarterly numbers\n");
    const missing = await agent.vault.download({
      model: "B",
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/nothing-here`,
    });
    expect(missing).toMatchObject({ kind: "envelope", result: { status: 404 } });
    const streamed = await agent.vault.stream({
      model: "B",
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/items`,
    });
    if (streamed.kind !== "raw") throw new Error("expected a stream");
    expect(streamed.contentType).toContain("application/json");
    expect(JSON.parse(await new Response(streamed.body).text())).toEqual({
      items: [{ id: "a1", title: "first" }],
    });
  });

  it("gets 202 approval-required, waits while a person approves, retries with approvalId", async () => {
    const request = {
      model: "B" as const,
      connectionId,
      method: "POST" as const,
      url: `${api.upstream.origin}/v1/echo`,
      body: { to: "bob", text: "hello" },
    };
    const first = await agent.vault.execute(request);
    if (!isApprovalRequired(first)) throw new Error("expected an approval");
    expect(first.code).toBe("APPROVAL_REQUIRED");
    expect(first.hint).toBeTruthy();
    const pending = await agent.approvals.get(first.approvalRequestId);
    expect(pending.status).toBe("pending");

    let approvalId: string | undefined;
    const started = Date.now();
    const done = agent.vault.executeWithApproval(request, {
      pollSeconds: 10,
      onApprovalRequired: (a) => {
        approvalId = a.approvalRequestId;
        // The person decides a moment later, while the agent is long-polling.
        setTimeout(() => void admin.approvals.approve(a.approvalRequestId, "ok from the test"), 700);
      },
    });
    const result = await done;
    expect(approvalId).toBeDefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(result).toMatchObject({ model: "B", status: 200, body: { method: "POST", body: { to: "bob" } } });
    const consumed = await admin.approvals.list({ status: "consumed" });
    expect(consumed.items.map((a) => a.id)).toContain(approvalId);
  });

  it("cancels a wait with an AbortSignal", async () => {
    const first = await agent.vault.execute({
      model: "B",
      connectionId,
      method: "POST",
      url: `${api.upstream.origin}/v1/echo`,
      body: { n: 2 },
    });
    if (!isApprovalRequired(first)) throw new Error("expected an approval");
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const started = Date.now();
    const error = await agent.approvals
      .wait(first.approvalRequestId, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentHiFiveError);
    expect((error as AgentHiFiveError).code).toBe("ABORTED");
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("asks for a permission; a person grants it onto the connection", async () => {
    const caps = await agent.agent.capabilities();
    expect(caps.services.map((svc) => svc.id)).toContain("generic-api-key-http");
    const request = await agent.permissionRequests.create({
      actionTemplateId: "generic-api-key-http.delete",
      connectionId,
      reason: "Delete the items I created",
    });
    expect(request.status).toBe("pending");
    expect((await agent.permissionRequests.mine()).items.map((r) => r.id)).toContain(request.id);
    const granted = await admin.permissionRequests.approve(request.id, { connectionId, tier: "standard" });
    expect(granted.status).toBe("approved");
    expect(granted.policyId).toBeTruthy();
    const after = await agent.agent.capabilities();
    const mine = after.granted.find((g) => g.connectionId === connectionId);
    expect(mine?.actionTemplateIds).toContain("generic-api-key-http.delete");
  });

  it("renews the token when it was revoked (401) and retries once", async () => {
    const before = await agent.accessToken();
    await admin.agents.revokeTokens(agentId);
    const me = await agent.agent.me();
    expect(me.agentId).toBe(agentId);
    expect(await agent.accessToken()).not.toBe(before);
  });

  it("logs out (revokes the presented token) and signs a new assertion on the next call", async () => {
    const before = await agent.accessToken();
    await agent.agent.logout();
    const me = await agent.agent.me();
    expect(me.agentId).toBe(agentId);
    expect(await agent.accessToken()).not.toBe(before);
  });

  it("renews the token ahead of expiry", async () => {
    const tokenCalls: string[] = [];
    const eager = new AgentHiFiveClient({
      baseUrl: api.url,
      agent: { keyFile, renewBeforeSeconds: 86_400 },
      fetch: (input, init) => {
        if (String(input).endsWith("/v1/agents/token")) tokenCalls.push(String(input));
        return fetch(input, init);
      },
    });
    await eager.agent.me();
    await eager.agent.me();
    expect(tokenCalls).toHaveLength(2);
  });
});

describe("errors and human mode", () => {
  it("maps API errors to AgentHiFiveError with code, status, hint and requestId", async () => {
    const error = await admin.agent.me().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AgentHiFiveError);
    expect(error).toMatchObject({ code: "PRINCIPAL_NOT_ALLOWED", status: 403 });
    expect((error as AgentHiFiveError).hint).toBeTruthy();
    expect((error as AgentHiFiveError).requestId).toBeTruthy();
  });

  it("a bootstrap secret is single use", async () => {
    const { bootstrapSecret } = await admin.agents.issueBootstrapSecret(
      (await admin.agents.create({ name: "Once" })).id,
    );
    const dir = mkdtempSync(join(tmpdir(), "ah5-sdk-"));
    const a = new AgentHiFiveClient({ baseUrl: api.url, agent: { keyFile: join(dir, "a.json") } });
    await a.bootstrap(bootstrapSecret);
    const b = new AgentHiFiveClient({
      baseUrl: api.url,
      agent: { keyFile: join(dir, "b.json"), alg: "EdDSA" },
    });
    await expect(b.bootstrap(bootstrapSecret)).rejects.toMatchObject({
      code: "BOOTSTRAP_INVALID",
      status: 401,
    });
  });

  it("applies a policy preset and simulates a request against it", async () => {
    const { items } = await admin.policies.templates({ provider: "generic-api-key" });
    const preset = items.find((t) => t.id === "generic-api-key-http");
    expect(preset?.tiers).toContain("strict");
    const other = await admin.agents.create({ name: "Preset agent" });
    const policy = await admin.policies.apply({
      agentId: other.id,
      connectionId,
      templateId: "generic-api-key-http",
      tier: "strict",
    });
    expect(policy).toMatchObject({ agentId: other.id, templateId: "generic-api-key-http:strict" });
    const sim = await admin.policies.simulate({
      policyId: policy.id,
      request: { model: "B", method: "DELETE", url: `${api.upstream.origin}/v1/items` },
    });
    expect(["deny", "require_approval"]).toContain(sim.decision);
  });

  it("whoami, lists and an audit export stream with a PAT", async () => {
    const who = await admin.whoami();
    expect(who).toMatchObject({ kind: "user", role: "owner", workspace: { id: human.workspaceId } });
    const agents = await admin.agents.list();
    expect(agents.items.map((a) => a.id)).toContain(agentId);
    const connections = await admin.connections.list();
    expect(connections.items.map((c) => c.id)).toContain(connectionId);
    const policies = await admin.policies.list({ agentId });
    expect(policies.items).toHaveLength(1);
    const stream = await admin.audit.export({ format: "ndjson" });
    const text = await new Response(stream).text();
    const actions = text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).action as string);
    expect(actions).toContain("vault.executed");
  });
});
