#!/usr/bin/env node
// `npm start`: build what changed, then run the API on the embedded database (./.data) unless
// DATABASE_URL is set, and the dashboard (Next.js) in front of it. Migrations and development keys
// are handled by the API at start. `--watch` (npm run dev) runs the dashboard with `next dev`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { API_SERVER, build } from "./build.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const next = join(root, "node_modules", "next", "dist", "bin", "next");
const webDir = join(root, "apps", "web");
const watch = process.argv.includes("--watch");

try {
  await build();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}

const envFile = join(root, ".env");
const fileEnv = existsSync(envFile) ? parseEnv(readFileSync(envFile, "utf8")) : {};
const env = { DATA_DIR: join(root, ".data"), ...fileEnv, ...process.env };
const apiPort = env.PORT || "4000";
const webPort = env.WEB_PORT || "3000";
// The dashboard forwards /api/auth, /v1 … here; Next.js bakes it into the build (see next.config.ts).
const apiUrl = env.API_URL || `http://127.0.0.1:${apiPort}`;
// The dashboard gets only what it needs, never the API's secrets; social sign-in buttons appear for
// the providers the API has a client id for.
const socialProviders = [
  ["google", "GOOGLE_CLIENT_ID"],
  ["github", "GITHUB_CLIENT_ID"],
  ["microsoft", "MICROSOFT_CLIENT_ID"],
]
  .filter(([, name]) => env[name])
  .map(([id]) => id)
  .join(",");
const webEnv = Object.fromEntries(
  Object.entries({
    PATH: env.PATH,
    HOME: env.HOME,
    TMPDIR: env.TMPDIR,
    API_URL: apiUrl,
    SOCIAL_PROVIDERS: socialProviders,
    NEXT_TELEMETRY_DISABLED: "1",
  }).filter(([, v]) => v !== undefined),
);

if (!watch) buildWebIfStale();

const children = [];
const args = [...(existsSync(envFile) ? [`--env-file=${envFile}`] : []), API_SERVER];
children.push(spawn(process.execPath, args, { cwd: root, stdio: "inherit", env }));
const webArgs = watch ? ["dev", "-p", webPort] : ["start", "-p", webPort, "-H", env.WEB_HOST || "127.0.0.1"];
children.push(
  spawn(process.execPath, [next, ...webArgs], {
    cwd: webDir,
    stdio: "inherit",
    env: { ...webEnv, NODE_ENV: watch ? "development" : "production" },
  }),
);
const dashboard = env.WEB_URL || `http://localhost:${webPort}`;
console.log(`\n  AgentHiFive dashboard: ${dashboard}\n  API: http://127.0.0.1:${apiPort}\n`);

let stopping = false;
const stopAll = (signal) => {
  if (stopping) return;
  stopping = true;
  for (const c of children) if (c.exitCode === null) c.kill(signal);
};
process.on("SIGINT", () => stopAll("SIGINT"));
process.on("SIGTERM", () => stopAll("SIGTERM"));
let exitCode = 0;
let exited = 0;
for (const c of children) {
  c.on("exit", (code, signal) => {
    exitCode ||= code ?? (signal && !stopping ? 1 : 0);
    exited++;
    // One process gone means the app is broken: stop the other, then leave with its status.
    stopAll("SIGTERM");
    if (exited === children.length) process.exit(exitCode);
  });
}

/** `next build` when there is no build, the sources changed since, or API_URL changed. */
function buildWebIfStale() {
  const stampFile = join(webDir, ".next", "ah5-build-stamp.json");
  const newest = Math.max(
    newestMtime(join(webDir, "src")),
    ...["next.config.ts", "package.json", "postcss.config.mjs", "tsconfig.json"].map((f) =>
      mtime(join(webDir, f)),
    ),
    newestMtime(join(root, "packages", "contracts", "dist")),
    newestMtime(join(root, "packages", "oauth-connectors", "dist")),
  );
  let stamp = null;
  try {
    stamp = JSON.parse(readFileSync(stampFile, "utf8"));
  } catch {
    stamp = null;
  }
  const fresh =
    existsSync(join(webDir, ".next", "BUILD_ID")) &&
    stamp &&
    stamp.apiUrl === apiUrl &&
    stamp.newest >= newest;
  if (fresh) return;
  console.log("Building the dashboard (next build)…");
  const res = spawnSync(process.execPath, [next, "build"], {
    cwd: webDir,
    stdio: "inherit",
    env: { ...webEnv, NODE_ENV: "production" },
  });
  if (res.status !== 0) process.exit(res.status ?? 1);
  writeFileSync(stampFile, JSON.stringify({ apiUrl, newest }));
}

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function newestMtime(dir) {
  let newest = 0;
  let entries = [];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : mtime(p));
  }
  return newest;
}

/** Minimal .env reader (KEY=value lines, # comments, optional quotes) for the dashboard's env. */
function parseEnv(text) {
  const out = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)\s*$/.exec(line);
    if (!m) continue;
    out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, "$2");
  }
  return out;
}
