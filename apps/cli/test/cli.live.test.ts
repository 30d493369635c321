import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createHuman,
  createPat,
  type Human,
  type LiveApi,
  seedConnectionAndPolicy,
  startLiveApi,
} from "../../../packages/sdk/test/helpers/live-api.js";

/** The built CLI (the global setup runs `tsc -b`), run as a subprocess like a user would. */
const CLI = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

let api: LiveApi;
let human: Human;
let pat: string;
let configHome: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
function ah5WithStdin(args: string[], input: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH, XDG_CONFIG_HOME: configHome, AH5_API_URL: api.url },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.once("exit", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(input);
  });
}
function ah5(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      {
        env: { PATH: process.env.PATH, XDG_CONFIG_HOME: configHome, AH5_API_URL: api.url, ...env },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
async function ah5Json<T = Record<string, unknown>>(
  args: string[],
  env?: Record<string, string>,
): Promise<T> {
  const r = await ah5([...args, "--json"], env);
  if (r.code !== 0) throw new Error(`ah5 ${args.join(" ")} → ${r.code}\n${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

beforeAll(async () => {
  api = await startLiveApi();
  human = await createHuman(api);
  pat = await createPat(api, human);
  configHome = mkdtempSync(join(tmpdir(), "ah5-cli-"));
}, 90_000);
afterAll(async () => {
  await api?.stop();
});

describe("ah5 as a subprocess against a real API", () => {
  let agentId: string;
  let connectionId: string;

  it("refuses commands before login with exit code 3", async () => {
    const r = await ah5(["agents", "list"]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain("ah5 login");
  });

  it("logs in with a PAT and stores it 0600 in the config dir", async () => {
    const out = await ah5Json<{ signedIn: boolean; credentialsFile: string }>(["login", "--token", pat]);
    expect(out.signedIn).toBe(true);
    expect(out.credentialsFile).toBe(join(configHome, "agenthifive", "credentials.json"));
    expect(statSync(out.credentialsFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(configHome, "agenthifive")).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(out.credentialsFile, "utf8")).token).toBe(pat);
    const who = await ah5Json<{ kind: string; role: string; workspace: { id: string } }>(["whoami"]);
    expect(who).toMatchObject({ kind: "user", role: "owner", workspace: { id: human.workspaceId } });
  });

  it("a wrong token is refused at login and not stored", async () => {
    const home = mkdtempSync(join(tmpdir(), "ah5-wrong-"));
    const r = await ah5(["login", "--token", "ah5p_notatoken"], { XDG_CONFIG_HOME: home });
    expect(r.code).toBe(3);
    expect(existsSync(join(home, "agenthifive", "credentials.json"))).toBe(false);
  });

  it("creates and lists agents, issues a bootstrap secret", async () => {
    const agent = await ah5Json<{ id: string; name: string; status: string }>([
      "agents",
      "create",
      "CLI agent",
    ]);
    expect(agent).toMatchObject({ name: "CLI agent", status: "created" });
    agentId = agent.id;
    const list = await ah5Json<{ items: Array<{ id: string }> }>(["agents", "list"]);
    expect(list.items.map((a) => a.id)).toContain(agentId);
    const table = await ah5(["agents", "list"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+STATUS/);
    expect(table.stdout).toContain("CLI agent");
    const secret = await ah5Json<{ bootstrapSecret: string }>(["agents", "bootstrap-secret", agentId]);
    expect(secret.bootstrapSecret).toMatch(/^ah5b_/);
    const secretConn = await ah5WithStdin(
      [
        "connections",
        "connect",
        "generic-api-key",
        "--secret-stdin",
        "--label",
        "From stdin",
        "--extra",
        `origin=${api.upstream.origin}`,
        "--json",
      ],
      "sk-from-stdin-0123456789\n",
    );
    expect(secretConn.code, secretConn.stderr).toBe(0);
    expect(secretConn.stdout).not.toContain("sk-from-stdin");
    expect(JSON.parse(secretConn.stdout)).toMatchObject({ label: "From stdin", status: "active" });
    ({ connectionId } = await seedConnectionAndPolicy(api, human, agentId));
    const connections = await ah5Json<{ items: Array<{ id: string }> }>(["connections", "list"]);
    expect(connections.items.map((c) => c.id)).toContain(connectionId);
    const policies = await ah5Json<{ items: Array<{ agentId: string }> }>([
      "policies",
      "list",
      "--agent",
      agentId,
    ]);
    expect(policies.items).toHaveLength(1);
  });

  it("lists presets, applies one and simulates against it", async () => {
    const templates = await ah5Json<{ items: Array<{ id: string }> }>([
      "policies",
      "templates",
      "--provider",
      "generic-api-key",
    ]);
    expect(templates.items.map((t) => t.id)).toContain("generic-api-key-http");
    const other = await ah5Json<{ id: string }>(["agents", "create", "Preset agent"]);
    const apply = [
      "policies",
      "apply",
      "generic-api-key-http",
      "--agent",
      other.id,
      "--connection",
      connectionId,
    ];
    expect((await ah5([...apply, "--tier", "lenient"])).code).toBe(2);
    const policy = await ah5Json<{ id: string; version: number }>([...apply, "--tier", "strict"]);
    expect(policy.version).toBe(1);
    const sim = await ah5Json<{ decision: string }>([
      "policies",
      "simulate",
      "--policy",
      policy.id,
      "--method",
      "GET",
      "--url",
      `${api.upstream.origin}/v1/items`,
    ]);
    expect(["allow", "deny", "require_approval"]).toContain(sim.decision);
    const text = await ah5([
      "policies",
      "simulate",
      "--policy",
      policy.id,
      "--url",
      `${api.upstream.origin}/x`,
    ]);
    expect(text.stdout).toMatch(/^Decision: /);
  });

  it("executes as the agent; approval required exits 10; approve; retry succeeds", async () => {
    const secret = await ah5Json<{ bootstrapSecret: string }>(["agents", "bootstrap-secret", agentId]);
    const agentKey = join(configHome, "agent.json");
    const read = await ah5Json<{ status: number; body: { items: unknown[] } }>([
      "execute",
      "--agent-key",
      agentKey,
      "--bootstrap-secret",
      secret.bootstrapSecret,
      "--connection",
      connectionId,
      "--url",
      `${api.upstream.origin}/v1/items`,
    ]);
    expect(read.status).toBe(200);
    const send = ["execute", "--agent-key", agentKey, "--connection", connectionId, "-X", "POST"];
    const target = ["--url", `${api.upstream.origin}/v1/echo`, "--body", '{"to":"bob"}'];
    const ask = await ah5([...send, ...target, "--json"]);
    expect(ask.code).toBe(10);
    const approvalId = JSON.parse(ask.stdout).approvalRequestId as string;
    const pending = await ah5Json<{ items: Array<{ id: string }> }>(["approvals", "list"]);
    expect(pending.items.map((a) => a.id)).toContain(approvalId);
    const approved = await ah5Json<{ status: string }>(["approvals", "approve", approvalId, "--note", "ok"]);
    expect(approved.status).toBe("approved");
    const done = await ah5Json<{ status: number; body: { body: { to: string } } }>([
      ...send,
      ...target,
      "--approval-id",
      approvalId,
    ]);
    expect(done).toMatchObject({ status: 200, body: { body: { to: "bob" } } });
  });

  it("exports the audit trail (stdout and file) and tails it", async () => {
    const r = await ah5(["audit", "export", "--format", "ndjson"]);
    expect(r.code).toBe(0);
    const actions = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).action as string);
    expect(actions).toEqual(expect.arrayContaining(["agent.created", "vault.executed"]));
    const file = join(configHome, "audit.csv");
    const written = await ah5Json<{ bytes: number }>(["audit", "export", "--format", "csv", "-o", file]);
    expect(written.bytes).toBeGreaterThan(0);
    expect(readFileSync(file, "utf8").split("\n")[0]).toContain("action");
    const tail = await ah5Json<Array<{ action: string }>>(["audit", "tail", "-n", "5"]);
    expect(tail.length).toBe(5);
  });

  it("audit tail --follow prints new events as NDJSON until interrupted", async () => {
    const child = spawn(
      process.execPath,
      [CLI, "audit", "tail", "-n", "1", "--follow", "--interval", "1", "--json"],
      {
        env: { PATH: process.env.PATH, XDG_CONFIG_HOME: configHome, AH5_API_URL: api.url },
      },
    );
    try {
      let out = "";
      const sawNewAgent = new Promise<void>((resolve) => {
        child.stdout.on("data", (d) => {
          out += d;
          if (out.includes('"name":"Followed agent"') || out.includes("Followed agent")) resolve();
        });
      });
      await new Promise((r) => setTimeout(r, 1500));
      await ah5Json(["agents", "create", "Followed agent"]);
      await sawNewAgent;
      const lines = out
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { action: string });
      expect(lines.at(-1)?.action).toBe("agent.created");
    } finally {
      child.kill();
    }
  }, 30_000);

  it("disables an agent; reports not-found and usage errors with stable exit codes", async () => {
    const disabled = await ah5Json<{ status: string }>(["agents", "disable", agentId]);
    expect(disabled.status).toBe("disabled");
    const again = await ah5(["agents", "disable", agentId, "--json"]);
    expect(again.code).toBe(6);
    expect(JSON.parse(again.stderr)).toMatchObject({ code: "CONFLICT", hint: expect.any(String) });
    const revoked = await ah5Json<{ revoked: boolean }>(["connections", "revoke", connectionId]);
    expect(revoked.revoked).toBe(true);
    const left = await ah5Json<{ items: Array<{ id: string }> }>(["connections", "list"]);
    expect(left.items.map((c) => c.id)).not.toContain(connectionId);
    const missing = await ah5(["agents", "disable", "0190f4c2-0000-7000-8000-000000000000"]);
    expect(missing.code).toBe(5);
    expect((await ah5(["agents", "create"])).code).toBe(2);
    expect((await ah5(["audit", "export", "--format", "xml"])).code).toBe(2);
    const help = await ah5(["approvals", "approve", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("Usage: ah5 approvals approve");
  });

  it("logs in with the device flow: the person confirms the code with a POST", async () => {
    const home = mkdtempSync(join(tmpdir(), "ah5-device-"));
    const child = spawn(process.execPath, [CLI, "login", "--json", "--device-name", "ci laptop"], {
      env: { PATH: process.env.PATH, XDG_CONFIG_HOME: home, AH5_API_URL: api.url },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    const userCode = await new Promise<string>((resolve, reject) => {
      child.stderr.on("data", (d) => {
        stderr += d;
        const code = /confirm the code: ([A-Z]{4}-[A-Z]{4})/.exec(stderr)?.[1];
        if (code) resolve(code);
      });
      child.once("exit", () => reject(new Error(`exited early: ${stderr}`)));
    });
    expect(stderr).toContain(`/cli/login?code=${userCode}`);
    const approve = await fetch(`${api.url}/v1/cli/login/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${human.jwt}`, "content-type": "application/json" },
      body: JSON.stringify({ userCode, scopes: ["workspace:read", "agents:read"] }),
    });
    expect(approve.status).toBe(200);
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(0);
    const out = JSON.parse(stdout) as { pat: { name: string; scopes: string[] }; credentialsFile: string };
    expect(out.pat).toMatchObject({ name: "ci laptop", scopes: ["workspace:read", "agents:read"] });
    expect(statSync(out.credentialsFile).mode & 0o777).toBe(0o600);
    const list = await ah5(["agents", "list", "--json"], { XDG_CONFIG_HOME: home });
    expect(list.code).toBe(0);
    expect((await ah5(["agents", "create", "nope"], { XDG_CONFIG_HOME: home })).code).toBe(4);
  }, 30_000);

  it("logs out", async () => {
    expect((await ah5Json<{ signedOut: boolean }>(["logout"])).signedOut).toBe(true);
    expect((await ah5(["whoami"])).code).toBe(3);
  });
});
