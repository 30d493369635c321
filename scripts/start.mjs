#!/usr/bin/env node
// `npm start`: build what changed, then run the API on the embedded database (./.data) unless
// DATABASE_URL is set. Migrations and development keys are handled by the API at start.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const tsc = join(root, "node_modules", "typescript", "bin", "tsc");

const build = spawnSync(process.execPath, [tsc, "-b"], { cwd: root, stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);

const envFile = join(root, ".env");
const args = [...(existsSync(envFile) ? [`--env-file=${envFile}`] : []), join(root, "apps/api/dist/main.js")];
const env = { DATA_DIR: join(root, ".data"), ...process.env };
const api = spawn(process.execPath, args, { cwd: root, stdio: "inherit", env });

const forward = (signal) => () => api.kill(signal);
process.on("SIGINT", forward("SIGINT"));
process.on("SIGTERM", forward("SIGTERM"));
api.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
