import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

export const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
export const WEB_DIR = join(ROOT, "apps/web");
const API_MAIN = join(ROOT, "apps/api/dist/bundle/main.js");
const NEXT_BIN = join(ROOT, "node_modules/next/dist/bin/next");
/** The E2E build lives apart from `npm start`'s `.next` so neither clobbers the other. */
export const TEST_DIST_DIR = ".next-test";

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export async function waitForHttp(url: string, child: Running, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exited) throw new Error(`${child.name} exited early:\n${child.output()}`);
    const res = await fetch(url).catch(() => null);
    if (res && res.status < 500) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms:\n${child.output()}`);
}

export interface Running {
  name: string;
  child: ChildProcess;
  exited: boolean;
  output(): string;
  stop(): Promise<void>;
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): Running {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  const keep = (b: Buffer) => {
    log = (log + b.toString()).slice(-20_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const r: Running = {
    name,
    child,
    exited: false,
    output: () => log,
    stop: () =>
      new Promise<void>((resolve) => {
        if (r.exited) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
  child.once("exit", () => {
    r.exited = true;
  });
  return r;
}

/** A fresh database: a new one on TEST_DATABASE_URL's server, else a temp DATA_DIR for PGlite. */
export async function freshDatabase(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
  const server = process.env.TEST_DATABASE_URL;
  if (!server) {
    const dir = mkdtempSync(join(tmpdir(), "ah5-web-e2e-"));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `ah5_web_e2e_${Math.random().toString(16).slice(2, 10)}`;
  const admin = postgres(server, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const sql = postgres(server, { max: 1, onnotice: () => undefined });
      await sql.unsafe(`drop database if exists ${name} with (force)`);
      await sql.end();
    },
  };
}

export function startApi(port: number, env: Record<string, string>): Running {
  if (!existsSync(API_MAIN))
    throw new Error(
      "apps/api/dist/bundle/main.js is missing: the global setup builds it (scripts/build.mjs)",
    );
  return run("api", [API_MAIN], {
    PATH: process.env.PATH,
    NODE_ENV: "test",
    HOST: "127.0.0.1",
    PORT: String(port),
    API_PUBLIC_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL: "warn",
    AUTH_SECRET: "web-e2e-auth-secret-0123456789abcdef0123",
    ...env,
  });
}

/** `next build` into TEST_DIST_DIR; API_URL is baked into the rewrites at build time. */
export function buildWeb(apiUrl: string): void {
  const res = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: WEB_DIR,
    env: { ...process.env, API_URL: apiUrl, NEXT_DIST_DIR: TEST_DIST_DIR, NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
    maxBuffer: 32 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`next build failed:\n${res.stdout}\n${res.stderr}`);
  writeFileSync(join(WEB_DIR, TEST_DIST_DIR, "ah5-api-url"), apiUrl);
}

/**
 * Local iteration only (WEB_E2E_REUSE_BUILD=1): reuse the last E2E build and the API port baked
 * into it. `npm test` always builds once.
 */
export function reusableBuild(): { apiPort: number } | undefined {
  if (process.env.WEB_E2E_REUSE_BUILD !== "1" || process.env.CI === "true") return undefined;
  const file = join(WEB_DIR, TEST_DIST_DIR, "ah5-api-url");
  if (!existsSync(file)) return undefined;
  return { apiPort: Number(new URL(readFileSync(file, "utf8").trim()).port) };
}

export function startWeb(port: number, apiUrl: string): Running {
  return run(
    "web",
    [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"],
    {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      API_URL: apiUrl,
      NEXT_DIST_DIR: TEST_DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
    },
    WEB_DIR,
  );
}
