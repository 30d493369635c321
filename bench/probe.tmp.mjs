// Temporary probe (not committed): API CPU per request on simple routes.
import postgres from "postgres";
import { cpuMs, startApi } from "./lib/api-process.mjs";
import { load } from "./lib/load.mjs";
const admin = postgres("postgres://postgres@127.0.0.1:5432/postgres", { max: 1, onnotice: () => {} });
await admin.unsafe("drop database if exists ah5_probe with (force)");
await admin.unsafe("create database ah5_probe");
await admin.end();
const api = await startApi({ port: 4520, env: {
  NODE_ENV: "production", DATABASE_URL: "postgres://postgres@127.0.0.1:5432/ah5_probe",
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  ENCRYPTION_KEYS: "bench-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
  API_PUBLIC_URL: "http://127.0.0.1:4520", WEB_URL: "http://localhost:3000", OPENAPI_ENABLED: "false", LOG_LEVEL: process.env.PROBE_LOG ?? "warn" } });
for (const path of (process.env.PROBE_PATHS ?? "/health").split(",")) {
  await load({ url: api.base + path, connections: 16, durationS: 2 });
  const c0 = cpuMs(api.pid);
  const r = await load({ url: api.base + path, connections: 16, durationS: 5 });
  console.log(path, r.rps, "req/s", Math.round((cpuMs(api.pid) - c0) * 1000 / r.total), "µs/req", "p99", r.p99, "non2xx", r.non2xx);
}
await api.stop();
