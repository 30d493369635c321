import { spawn } from "node:child_process";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentHiFiveClient } from "@agenthifive/sdk";
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
import { type FakeLlm, startFakeLlm } from "./helpers/fake-llm.js";
import { ensureOpenClaw, type Gateway, startGateway } from "./helpers/openclaw-host.js";

/**
 * The plugin as users get it: the real `openclaw` package (Node 24) loads `packages/openclaw`
 * (built by the global setup) through `plugins.load.paths`, and the tools are invoked over the
 * gateway's `/tools/invoke` endpoint against a real AgentHiFive API.
 */
const PLUGIN_DIR = fileURLToPath(new URL("..", import.meta.url));
const SETUP_BIN = fileURLToPath(new URL("../../openclaw-setup/dist/bin.js", import.meta.url));

function runNode(args: string[], env: Record<string, string>, stdin: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { env, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.stdin.end(stdin);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
const host = ensureOpenClaw();
if (!host.ok) {
  if (process.env.CI) throw new Error(`OpenClaw loader test cannot run in CI: ${host.reason}`);
  console.warn(`Skipping the OpenClaw loader test: ${host.reason}`);
}

type Invoked = {
  ok: boolean;
  result: { content: Array<{ text: string }>; details: Record<string, unknown> };
};

describe.skipIf(!host.ok)("OpenClaw plugin loaded by the real openclaw gateway", () => {
  let api: LiveApi;
  let human: Human;
  let gateway: Gateway;
  let connectionId: string;
  let downloadDir: string;
  let llm: FakeLlm;

  const call = async (tool: string, args: Record<string, unknown> = {}) => {
    const { status, body } = await gateway.invoke(tool, args);
    expect(status, JSON.stringify(body)).toBe(200);
    const invoked = body as unknown as Invoked;
    return { text: invoked.result.content.map((c) => c.text).join("\n"), details: invoked.result.details };
  };
  const posts = () => api.upstream.seen.filter((r) => r.method === "POST" && r.url === "/v1/echo");

  beforeAll(async () => {
    if (!host.ok) return;
    api = await startLiveApi();
    human = await createHuman(api);
    const admin = new AgentHiFiveClient({ baseUrl: api.url, token: await createPat(api, human) });
    const agent = await admin.agents.create({ name: "OpenClaw agent" });
    ({ connectionId } = await seedConnectionAndPolicy(api, human, agent.id));
    const { bootstrapSecret } = await admin.agents.issueBootstrapSecret(agent.id);
    // The "model": asked to list items, it calls agenthifive_execute; given the result, it answers.
    llm = await startFakeLlm((request) => {
      const toolResult = request.messages.find((m) => m.role === "tool");
      if (toolResult) return { text: `Done: ${JSON.stringify(toolResult.content).slice(0, 200)}` };
      if (JSON.stringify(request.messages.filter((m) => m.role === "user")).includes("list items")) {
        return {
          // OpenClaw's default Tool Search surface: plugin tools are called through `tool_call`.
          toolCall: {
            name: "tool_call",
            arguments: {
              id: "agenthifive_execute",
              args: { connectionId, method: "GET", url: `${api.upstream.origin}/v1/items` },
            },
          },
        };
      }
      return { text: "hello" };
    });
    gateway = await startGateway(
      host,
      ({ port, token, home }) => ({
        gateway: {
          mode: "local",
          port,
          bind: "loopback",
          auth: { mode: "token", token },
          http: { endpoints: { chatCompletions: { enabled: true } } },
        },
        update: { checkOnStart: false },
        logging: { file: join(home, "openclaw.log") },
        agents: { defaults: { model: { primary: "fakellm/m" } } },
        models: {
          providers: {
            fakellm: {
              baseUrl: llm.baseUrl,
              apiKey: "fakellm-local",
              api: "openai-completions",
              models: [
                {
                  id: "m",
                  name: "Fake model",
                  reasoning: false,
                  input: ["text"],
                  cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
                  contextWindow: 32000,
                  maxTokens: 1000,
                },
              ],
            },
          },
        },
      }),
      // openclaw-setup writes the rest, as a user would run it: enrollment, key file, plugin
      // entry, and a model provider routed through the vault's LLM proxy.
      async ({ env, stateDir }) => {
        const run = await runNode(
          [
            SETUP_BIN,
            "--api-url",
            api.url,
            "--bootstrap-secret-stdin",
            "--non-interactive",
            "--plugin-path",
            PLUGIN_DIR,
            "--llm-providers",
            "anthropic",
          ],
          env,
          bootstrapSecret,
        );
        if (run.code !== 0) throw new Error(`openclaw-setup failed: ${run.stderr}`);
        downloadDir = join(stateDir, "agenthifive", "downloads");
      },
    );
  }, 900_000);
  afterAll(async () => {
    await gateway?.stop();
    await llm?.close();
    await api?.stop();
  }, 60_000);

  it("lists the agent's connections with what the policy allows", async () => {
    const { text, details } = await call("agenthifive_list_connections");
    expect(text).toContain(connectionId);
    expect(details.connections).toEqual([expect.objectContaining({ connectionId, allowedModels: ["B"] })]);
  });

  it("executes an allowed request through the vault", async () => {
    const { text, details } = await call("agenthifive_execute", {
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(details).toMatchObject({ ok: true, status: 200, body: { items: [{ id: "a1", title: "first" }] } });
    expect(text).toContain("Provider answered HTTP 200");
  });

  it("runs an agent turn: the model sees the connection summary and the tools, and its tool call goes through the vault", async () => {
    const before = api.upstream.seen.filter((r) => r.url === "/v1/items").length;
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${gateway.token}`, "content-type": "application/json" },
      body: JSON.stringify({ model: "openclaw", messages: [{ role: "user", content: "Please list items" }] }),
    });
    const answer = (await res.json()) as { choices?: Array<{ message: { content: string } }> };
    expect(res.status, JSON.stringify(answer)).toBe(200);
    expect(llm.requests.length, JSON.stringify(llm.requests.at(-1)?.messages.at(-1))).toBe(2);
    const [first, second] = llm.requests;
    const system = JSON.stringify(
      first?.messages.filter((m) => m.role === "system" || m.role === "developer"),
    );
    expect(system).toContain("AgentHiFive vault");
    expect(system).toContain(connectionId);
    // The tool directory lists the vault tools; they are reached through tool_call.
    expect(system).toContain("agenthifive_execute");
    expect(first?.tools?.map((t) => t.function.name)).toContain("tool_call");
    expect(JSON.stringify(second?.messages.find((m) => m.role === "tool"))).toContain(
      "Provider answered HTTP 200",
    );
    expect(api.upstream.seen.filter((r) => r.url === "/v1/items").length).toBe(before + 1);
    expect(answer.choices?.[0]?.message.content).toContain("Done:");
  }, 180_000);

  it("pauses on step-up, then runs the approved request exactly once", async () => {
    const before = posts().length;
    const first = await call("agenthifive_execute", {
      connectionId,
      method: "POST",
      url: `${api.upstream.origin}/v1/echo`,
      body: { text: "hello from openclaw" },
    });
    expect(first.details).toMatchObject({ approvalRequired: true, approvalId: expect.any(String) });
    expect(first.text).toContain("agenthifive_await_approval");
    const approvalId = String(first.details.approvalId);
    expect(posts().length).toBe(before);

    const waiting = await call("agenthifive_await_approval", { approvalId, waitSeconds: 1 });
    expect(waiting.details).toMatchObject({ status: "pending" });

    await approveAsHuman(api, human, approvalId);
    const done = await call("agenthifive_await_approval", { approvalId, waitSeconds: 30 });
    expect(done.details).toMatchObject({
      ok: true,
      status: 200,
      approvalId,
      body: { method: "POST", body: { text: "hello from openclaw" } },
    });
    expect(posts().length).toBe(before + 1);
  });

  it("explains a policy denial with a next step", async () => {
    const { text, details } = await call("agenthifive_execute", {
      connectionId,
      method: "DELETE",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(details).toMatchObject({ ok: false, status: 403 });
    expect(text).toContain("What to do next:");
  });

  it("downloads a file into the download directory under a safe name", async () => {
    const { details } = await call("agenthifive_download", {
      connectionId,
      url: `${api.upstream.origin}/v1/files/report.txt`,
    });
    expect(details).toMatchObject({ ok: true, path: join(downloadDir, "report.txt") });
    expect(readFileSync(join(downloadDir, "report.txt"), "utf8")).toBe("quarterly numbers\n");
    expect(statSync(join(downloadDir, "report.txt")).mode & 0o777).toBe(0o600);
  });

  it("files a permission request", async () => {
    const listed = await call("agenthifive_list_connections");
    const requestable = listed.details.requestable as Array<{ actionTemplateId: string }>;
    expect(requestable.length).toBeGreaterThan(0);
    const { details } = await call("agenthifive_request_permission", {
      actionTemplateId: requestable[0]?.actionTemplateId,
      reason: "The user asked me to read their calendar.",
    });
    expect(details).toMatchObject({ ok: true, permissionRequest: { status: "pending" } });
  });

  it("stops using a connection on request", async () => {
    await call("agenthifive_revoke_connection", { connectionId });
    const { details } = await call("agenthifive_execute", {
      connectionId,
      method: "GET",
      url: `${api.upstream.origin}/v1/items`,
    });
    expect(details).toMatchObject({ ok: false, error: "CONNECTION_NOT_USABLE" });
  });

  it("accepts the config openclaw-setup wrote (OpenClaw's own strict validation)", () => {
    const res = gateway.cli(["config", "validate", "--json"]);
    expect(res.status, res.stdout + res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ valid: true });
  }, 180_000);

  it("registers the prompt hook and the token renewal service with the loader", () => {
    const res = gateway.cli(["plugins", "inspect", "agenthifive", "--runtime", "--json"]);
    expect(res.status, res.stderr).toBe(0);
    const text = res.stdout;
    expect(text).toContain("before_prompt_build");
    expect(text).toContain("agenthifive-token-renewal");
    expect(text).toContain("agenthifive_execute");
    // The OpenClaw config keeps references only: no key material, no provider secret.
    const config = readFileSync(join(gateway.home, ".openclaw", "openclaw.json"), "utf8");
    expect(config).not.toMatch(/"d"\s*:|sk-upstream|ah5t_|ah5b_/);
  }, 180_000);
});
