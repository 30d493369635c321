import { spawn } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { AgentHiFiveClient } from "@agenthifive/sdk";
import JSON5 from "json5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHuman, createPat, type LiveApi, startLiveApi } from "../../sdk/test/helpers/live-api.js";

/** The built CLI (the global setup runs `tsc -b`), run as a user would run it. */
const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url));
const PLUGIN_DIR = fileURLToPath(new URL("../../openclaw", import.meta.url));

const ORIGINAL = `// my OpenClaw config, hand-written
{
  gateway: { mode: "local", port: 18789, },
  plugins: { allow: ["voice-call"], },
  models: { providers: { anthropic: { timeoutSeconds: 90 } } },
}
`;

let api: LiveApi;
let admin: AgentHiFiveClient;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function runSetup(args: string[], env: Record<string, string>, stdin = ""): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
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

async function newAgentSecret(name: string) {
  const agent = await admin.agents.create({ name });
  const { bootstrapSecret } = await admin.agents.issueBootstrapSecret(agent.id);
  return { agentId: agent.id, bootstrapSecret };
}

beforeAll(async () => {
  api = await startLiveApi();
  const human = await createHuman(api);
  admin = new AgentHiFiveClient({ baseUrl: api.url, token: await createPat(api, human) });
}, 90_000);
afterAll(async () => {
  await api?.stop();
});

describe("openclaw-setup as a subprocess against a temporary OpenClaw home", () => {
  const home = mkdtempSync(join(tmpdir(), "ah5-setup-home-"));
  const stateDir = join(home, ".openclaw");
  const configPath = join(stateDir, "openclaw.json");
  const env = { HOME: home, OPENCLAW_STATE_DIR: stateDir };
  let agentId: string;
  let bootstrapSecret: string;
  let keyFile: string;

  it("enrolls the agent, stores the key 0600 outside the config and writes the plugin entry", async () => {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(configPath, ORIGINAL);
    chmodSync(configPath, 0o640);
    ({ agentId, bootstrapSecret } = await newAgentSecret("OpenClaw on the VPS"));
    const secretFile = join(home, "secret.txt");
    writeFileSync(secretFile, `${bootstrapSecret}\n`, { mode: 0o600 });

    const run = await runSetup(
      [
        "--api-url",
        api.url,
        "--bootstrap-secret-file",
        secretFile,
        "--non-interactive",
        "--json",
        "--plugin-path",
        PLUGIN_DIR,
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout);
    expect(out).toMatchObject({ ok: true, agentId, configPath });
    keyFile = out.keyFile;
    expect(keyFile).toBe(join(stateDir, "agenthifive", "agent-key.json"));

    const key = JSON.parse(readFileSync(keyFile, "utf8"));
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(key.agentId).toBe(agentId);
    expect(key.privateKey.d).toBeTypeOf("string");
    // Neither the private key nor the bootstrap secret is printed or put in the config.
    for (const text of [run.stdout, run.stderr, readFileSync(configPath, "utf8")]) {
      expect(text).not.toContain(key.privateKey.d);
      expect(text).not.toContain(bootstrapSecret);
    }

    const config = JSON5.parse(readFileSync(configPath, "utf8"));
    expect(config.gateway).toEqual({ mode: "local", port: 18789 });
    expect(config.plugins.allow).toEqual(["voice-call", "agenthifive"]);
    expect(config.plugins.load.paths).toEqual([PLUGIN_DIR]);
    expect(config.plugins.entries.agenthifive).toEqual({
      enabled: true,
      hooks: { allowConversationAccess: true, allowPromptInjection: true },
      config: { apiUrl: api.url, keyFile },
    });
    expect(statSync(configPath).mode & 0o777).toBe(0o640);

    const agent = await admin.agents.get(agentId);
    expect(agent).toMatchObject({ status: "active", keyThumbprint: expect.any(String) });
  });

  it("verifies end to end", async () => {
    const run = await runSetup(["--verify", "--json"], env);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const result = JSON.parse(run.stdout);
    expect(result.ok).toBe(true);
    expect(result.checks.map((c: { name: string }) => c.name)).toEqual([
      "plugin entry",
      "key file",
      "no secret in config",
      "API reachable",
      "agent token",
      "agent active",
      "connections",
    ]);
  });

  it("re-runs without a secret to route a model provider through the vault's LLM proxy", async () => {
    const run = await runSetup(
      [
        "--api-url",
        api.url,
        "--llm-providers",
        "anthropic",
        "--non-interactive",
        "--json",
        "--plugin-path",
        PLUGIN_DIR,
      ],
      env,
    );
    expect(run.code, run.stderr).toBe(0);
    const config = JSON5.parse(readFileSync(configPath, "utf8"));
    expect(config.models.providers.anthropic).toEqual({
      timeoutSeconds: 90,
      baseUrl: `${api.url}/v1/vault/llm/anthropic`,
      apiKey: { source: "exec", provider: "agenthifive", id: "agent-token" },
    });
    const provider = config.secrets.providers.agenthifive;
    expect(provider).toMatchObject({ source: "exec", command: process.execPath, jsonOnly: true });
    expect(config.plugins.load.paths).toEqual([PLUGIN_DIR]);

    // The exec secret provider answers OpenClaw's protocol with a working agent token.
    const token = await new Promise<Run>((resolve) => {
      const child = spawn(provider.command, provider.args, { env: { PATH: process.env.PATH ?? "" } });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => {
        stdout += d;
      });
      child.stderr.on("data", (d) => {
        stderr += d;
      });
      child.stdin.end(JSON.stringify({ protocolVersion: 1, provider: "agenthifive", ids: ["agent-token"] }));
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expect(token.code, token.stderr).toBe(0);
    const answer = JSON.parse(token.stdout);
    expect(answer.values["agent-token"]).toMatch(/^ah5t_/);
    const me = await new AgentHiFiveClient({
      baseUrl: api.url,
      token: answer.values["agent-token"],
    }).agent.me();
    expect(me.agentId).toBe(agentId);
  });

  it("removes its changes: the original config comes back byte for byte", async () => {
    const run = await runSetup(["--remove", "--json"], env);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(configPath, "utf8")).toBe(ORIGINAL);
    expect(statSync(configPath).mode & 0o777).toBe(0o640);
    expect(existsSync(keyFile)).toBe(false);
    expect(existsSync(join(stateDir, "agenthifive"))).toBe(false);
    const verify = await runSetup(["--verify", "--json"], env);
    expect(verify.code).toBe(1);
    const again = await runSetup(["--remove"], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("Nothing to undo");
  });
});

describe("openclaw-setup on a fresh OpenClaw home", () => {
  it("creates the config, and removing deletes it again", async () => {
    const home = mkdtempSync(join(tmpdir(), "ah5-setup-fresh-"));
    const configPath = join(home, "custom", "openclaw.json");
    const env = { HOME: home, OPENCLAW_CONFIG_PATH: configPath };
    const { bootstrapSecret } = await newAgentSecret("Fresh OpenClaw");
    const run = await runSetup(
      ["--api-url", api.url, "--bootstrap-secret-stdin", "--non-interactive", "--plugin-path", PLUGIN_DIR],
      env,
      bootstrapSecret,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain("enrolled");
    expect(run.stdout).not.toContain(bootstrapSecret);
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "custom", "agenthifive", "agent-key.json")).mode & 0o777).toBe(0o600);
    expect((await runSetup(["--remove"], env)).code).toBe(0);
    expect(existsSync(configPath)).toBe(false);
  });

  it("refuses to start without a bootstrap secret and changes nothing", async () => {
    const home = mkdtempSync(join(tmpdir(), "ah5-setup-nosecret-"));
    const env = { HOME: home, OPENCLAW_STATE_DIR: join(home, ".openclaw") };
    const run = await runSetup(["--api-url", api.url, "--non-interactive"], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("bootstrap secret is needed");
    expect(existsSync(join(home, ".openclaw"))).toBe(false);
  });

  it("refuses a used bootstrap secret without printing it", async () => {
    const home = mkdtempSync(join(tmpdir(), "ah5-setup-used-"));
    const { bootstrapSecret } = await newAgentSecret("Used secret");
    const first = await runSetup(
      ["--api-url", api.url, "--bootstrap-secret-stdin", "--non-interactive", "--plugin-path", PLUGIN_DIR],
      { HOME: home, OPENCLAW_STATE_DIR: join(home, "a") },
      bootstrapSecret,
    );
    expect(first.code, first.stderr).toBe(0);
    const second = await runSetup(
      ["--api-url", api.url, "--bootstrap-secret-stdin", "--non-interactive", "--plugin-path", PLUGIN_DIR],
      { HOME: home, OPENCLAW_STATE_DIR: join(home, "b") },
      bootstrapSecret,
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain("Hint:");
    expect(second.stderr + second.stdout).not.toContain(bootstrapSecret);
    // The failed attempt leaves nothing behind (no key, no setup record, no config).
    expect(existsSync(join(home, "b", "agenthifive"))).toBe(false);
  });
});
