import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AgentHiFiveClient, type FetchLike } from "@agenthifive/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  approveAsHuman,
  createHuman,
  createPat,
  type Human,
  type LiveApi,
  seedConnectionAndPolicy,
  startLiveApi,
} from "../../sdk/test/helpers/live-api.js";
import {
  type ActionOutcome,
  ApprovalWatcher,
  describeConnections,
  envFallback,
  explainError,
  startTokenRenewal,
  VaultActionProxy,
  VaultCredentialProvider,
  vaultLlmBaseUrl,
} from "../src/index.js";

let api: LiveApi;
let human: Human;
let admin: AgentHiFiveClient;
let agent: AgentHiFiveClient;
let connectionId: string;
let keyFile: string;

beforeAll(async () => {
  api = await startLiveApi();
  human = await createHuman(api);
  admin = new AgentHiFiveClient({ baseUrl: api.url, token: await createPat(api, human) });
  const created = await admin.agents.create({ name: "Integration agent" });
  ({ connectionId } = await seedConnectionAndPolicy(api, human, created.id));
  const { bootstrapSecret } = await admin.agents.issueBootstrapSecret(created.id);
  keyFile = join(mkdtempSync(join(tmpdir(), "ah5-int-")), "agent-key.json");
  agent = new AgentHiFiveClient({ baseUrl: api.url, agent: { keyFile, bootstrapSecret } });
}, 90_000);
afterAll(async () => {
  await api?.stop();
});

const posts = () => api.upstream.seen.filter((r) => r.method === "POST" && r.url === "/v1/echo");

describe("vault action proxy and approval watcher (real API)", () => {
  it("completes an allowed request at once", async () => {
    const proxy = new VaultActionProxy(agent);
    const outcome = await proxy.execute({
      model: "B",
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(outcome).toMatchObject({ status: "completed", result: { model: "B", status: 200 } });
  });

  it("returns a pending result on step-up, resumes it after approval, and runs it exactly once", async () => {
    const proxy = new VaultActionProxy(agent);
    const watcher = new ApprovalWatcher(agent, { pollSeconds: 2 });
    const request = {
      model: "B" as const,
      connectionId,
      method: "POST" as const,
      url: `${api.upstream.origin}/v1/echo`,
      body: { text: "send it" },
    };
    const before = posts().length;
    const first = await proxy.execute(request);
    expect(first).toMatchObject({ status: "pending_approval", approvalId: expect.any(String) });
    if (first.status !== "pending_approval") throw new Error("expected a pending action");
    expect(posts().length).toBe(before);

    // Not decided yet: resuming reports pending and keeps the action.
    expect(await proxy.resume(first.approvalId)).toMatchObject({ status: "pending_approval" });
    expect(await proxy.store.list()).toHaveLength(1);

    const outcomes: ActionOutcome[] = [];
    const resolving = watcher.resolvePending(proxy, (o) => outcomes.push(o));
    await approveAsHuman(api, human, first.approvalId);
    await resolving;

    expect(outcomes).toEqual([
      expect.objectContaining({
        status: "completed",
        approvalId: first.approvalId,
        result: expect.objectContaining({ status: 200, body: { method: "POST", body: { text: "send it" } } }),
      }),
    ]);
    expect(posts().length).toBe(before + 1);
    expect(await proxy.store.list()).toHaveLength(0);
    // The approval was consumed by the redemption.
    expect((await agent.approvals.get(first.approvalId)).status).toBe("consumed");
  });

  it("ends a denied action without running it", async () => {
    const proxy = new VaultActionProxy(agent);
    const watcher = new ApprovalWatcher(agent, { pollSeconds: 2 });
    const before = posts().length;
    const first = await proxy.execute({
      model: "B",
      connectionId,
      method: "POST",
      url: `${api.upstream.origin}/v1/echo`,
      body: { text: "do not send" },
    });
    if (first.status !== "pending_approval") throw new Error("expected a pending action");
    const watching = watcher.watch(first.approvalId);
    await admin.approvals.deny(first.approvalId, "not today");
    expect((await watching).status).toBe("denied");
    const outcome = await proxy.resume(first.approvalId);
    expect(outcome).toMatchObject({ status: "denied", hint: expect.stringContaining("refused") });
    expect(posts().length).toBe(before);
    await expect(proxy.resume(first.approvalId)).rejects.toMatchObject({ code: "APPROVAL_NOT_FOUND" });
  });

  it("backs off and keeps watching through transient failures", async () => {
    let failuresLeft = 2;
    const calls: string[] = [];
    const flaky: FetchLike = async (input, init) => {
      if (input.includes("/v1/approvals/") && failuresLeft > 0) {
        failuresLeft -= 1;
        calls.push("fail");
        return new Response(JSON.stringify({ error: "down", code: "SERVICE_UNAVAILABLE", requestId: "x" }), {
          status: 503,
          headers: { "content-type": "application/json" },
        });
      }
      if (input.includes("/v1/approvals/")) calls.push("ok");
      return fetch(input, init);
    };
    const flakyAgent = new AgentHiFiveClient({
      baseUrl: api.url,
      agent: { keyFile },
      fetch: flaky,
      maxRetries: 0,
    });
    const proxy = new VaultActionProxy(flakyAgent);
    const first = await proxy.execute({
      model: "B",
      connectionId,
      method: "POST",
      url: `${api.upstream.origin}/v1/echo`,
      body: { text: "eventually" },
    });
    if (first.status !== "pending_approval") throw new Error("expected a pending action");
    await approveAsHuman(api, human, first.approvalId);
    const watcher = new ApprovalWatcher(flakyAgent, { pollSeconds: 1, backoffBaseMs: 20, backoffMaxMs: 50 });
    const decided = await watcher.watch(first.approvalId);
    expect(decided.status).toBe("approved");
    expect(calls).toEqual(["fail", "fail", "ok"]);
  });

  it("stops watching on request", async () => {
    const proxy = new VaultActionProxy(agent);
    const first = await proxy.execute({
      model: "B",
      connectionId,
      method: "POST",
      url: `${api.upstream.origin}/v1/echo`,
      body: { text: "later" },
    });
    if (first.status !== "pending_approval") throw new Error("expected a pending action");
    const watcher = new ApprovalWatcher(agent, { pollSeconds: 30 });
    const watching = watcher.watch(first.approvalId);
    setTimeout(() => watcher.stop(), 200);
    await expect(watching).rejects.toMatchObject({ code: "ABORTED" });
  });
});

describe("vault credential provider (real API)", () => {
  it("uses the local fallback chain when the vault holds no connection for the provider", async () => {
    const provider = new VaultCredentialProvider(agent, api.url, {
      fallbacks: [envFallback({ anthropic: "TEST_ANTHROPIC_KEY" }, { TEST_ANTHROPIC_KEY: "sk-local" })],
    });
    expect(await provider.resolve("anthropic")).toEqual({
      source: "local",
      provider: "anthropic",
      apiKey: "sk-local",
    });
    expect(await provider.resolve("openai")).toBeUndefined();
    expect(vaultLlmBaseUrl(`${api.url}/`, "anthropic")).toBe(`${api.url}/v1/vault/llm/anthropic`);
  });

  it("fails closed when the vault cannot be asked, unless told to fall back", async () => {
    const dead = new AgentHiFiveClient({ baseUrl: "http://127.0.0.1:9", agent: { keyFile }, maxRetries: 0 });
    const local = envFallback({ anthropic: "K" }, { K: "sk-local" });
    await expect(
      new VaultCredentialProvider(dead, "http://127.0.0.1:9", { fallbacks: [local] }).resolve("anthropic"),
    ).rejects.toMatchObject({
      code: "NETWORK_ERROR",
    });
    const lenient = new VaultCredentialProvider(dead, "http://127.0.0.1:9", {
      fallbacks: [local],
      fallbackOnVaultError: true,
    });
    expect(await lenient.resolve("anthropic")).toMatchObject({ source: "local", apiKey: "sk-local" });
  });

  it("describes the connections for a system prompt and explains denials with a next step", async () => {
    const summary = await describeConnections(agent);
    expect(summary.connections.map((c) => c.connectionId)).toEqual([connectionId]);
    expect(summary.text).toContain(connectionId);
    expect(summary.text).toContain("never hold their credentials");
    const denied = await agent.vault
      .execute({ model: "B", connectionId, method: "DELETE", url: `${api.upstream.origin}/v1/items` })
      .catch((e: unknown) => e);
    const explained = explainError(denied);
    expect(explained.status).toBe(403);
    expect(explained.text).toContain("What to do next:");
  });

  it("renews the token in the background", async () => {
    const renewal = startTokenRenewal(agent, { intervalMs: 60_000 });
    await renewal.renewNow();
    renewal.stop();
    expect(await agent.accessToken()).toMatch(/^ah5t_/);
  });
});
