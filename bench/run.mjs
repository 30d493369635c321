#!/usr/bin/env node
import { fork } from "node:child_process";
// `npm run bench`: starts the API on PostgreSQL as its own process, seeds it over HTTP, drives
// each scenario with autocannon at several concurrency levels, prints a table and writes JSON.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import { build } from "../scripts/build.mjs";
import { cpuMs, rssMb, startApi } from "./lib/api-process.mjs";
import { cpuCalibrationMs } from "./lib/calibrate.mjs";
import { load } from "./lib/load.mjs";
import { startOidcServer } from "./lib/oidc.mjs";
import {
  agentToken,
  connectOAuth,
  createPolicy,
  seedAgent,
  seedConnection,
  seedPolicy,
  seedUser,
  signAssertion,
} from "./lib/seed.mjs";

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? "1,16,64").split(",").map(Number);
const ONLY = process.env.BENCH_ONLY?.split(",");
const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const PORT = Number(process.env.BENCH_PORT ?? 4510);
const WEB_ORIGIN = "http://localhost:3000";

async function freshDatabase() {
  const name = "ah5_bench";
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The API origin the OAuth provider's tokens are for (only vended in Model A, never called). */
const OAUTH_API_ORIGIN = "https://api.example.test";

const apiEnv = (databaseUrl, oidc) => ({
  NODE_ENV: "production",
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: "bench-auth-secret-0123456789abcdef0123456789",
  ENCRYPTION_KEYS: "bench-1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8",
  API_PUBLIC_URL: `http://127.0.0.1:${PORT}`,
  WEB_URL: WEB_ORIGIN,
  REQUIRE_EMAIL_VERIFICATION: "false",
  OPENAPI_ENABLED: "false",
  // The bench measures throughput; anti-abuse limits would cap it at a few per minute.
  AGENT_TOKEN_PER_MINUTE_PER_IP: "100000000",
  VAULT_DEV_ALLOW_HOSTS: `127.0.0.1:${PORT + 1},${new URL(oidc.server.issuer).host}`,
  // The local OpenID Connect server plays the OAuth provider of the Model A connection.
  OAUTH_GENERIC_ISSUER: oidc.server.issuer,
  OAUTH_GENERIC_CLIENT_ID: oidc.client.clientId,
  OAUTH_GENERIC_CLIENT_SECRET: oidc.client.clientSecret,
  OAUTH_GENERIC_API_ORIGINS: OAUTH_API_ORIGIN,
  AGENT_TOKEN_PER_MINUTE_PER_AGENT: "100000000",
  RATE_LIMIT_AGENT_PER_MINUTE: "100000000",
  RATE_LIMIT_HUMAN_PER_MINUTE: "100000000",
  DATABASE_POOL_MAX: "20",
  API_WORKERS: process.env.BENCH_API_WORKERS ?? "1",
});

/** Every scenario returns the load options for one run at `connections`. */
function scenarios(ctx) {
  const execute = (method, path) =>
    JSON.stringify({
      model: "B",
      connectionId: ctx.connectionId,
      method,
      url: `${ctx.upstreamOrigin}${path}`,
    });
  return {
    "bare proxy (no policy, no audit)": async () => ({ url: `${ctx.bareProxy}/v1/items` }),
    "Model B allowed": async () => ({
      url: `${ctx.api.base}/v1/vault/execute`,
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ctx.vaultToken}` },
      body: execute("GET", "/v1/items"),
    }),
    "Model B denied": async () => ({
      url: `${ctx.api.base}/v1/vault/execute`,
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ctx.vaultToken}` },
      body: execute("DELETE", "/v1/items"),
      expectStatus: 403,
    }),
    "Model A (token vending)": async () => ({
      url: `${ctx.api.base}/v1/vault/execute`,
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ctx.vaultToken}` },
      body: JSON.stringify({ model: "A", connectionId: ctx.oauthConnectionId }),
    }),
    "agent token exchange": async (connections) => {
      // Assertions are single use: sign enough of them before the clock starts (a reused one is
      // refused as a replay and would show as non-2xx). 12,000/s is twice the fastest rate seen.
      const n = Math.max(2000, Math.ceil(DURATION_S * 12000 * (connections > 1 ? 1 : 0.3)));
      const bodies = [];
      for (let i = 0; i < n; i++) {
        bodies.push(
          JSON.stringify({
            grant_type: "client_credentials",
            client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            client_assertion: await signAssertion(ctx.agent),
          }),
        );
      }
      let i = 0;
      return {
        url: `${ctx.api.base}/v1/agents/token`,
        method: "POST",
        headers: { "content-type": "application/json" },
        nextBody: () => bodies[i++ % bodies.length],
      };
    },
    "agent token auth (GET /v1/agent/me)": async () => ({
      url: `${ctx.api.base}/v1/agent/me`,
      // Fresh each run: the token-exchange scenario rotates the agent's ten live tokens.
      headers: { authorization: `Bearer ${await agentToken(ctx.api.base, ctx.agent)}` },
    }),
  };
}

const UPSTREAM_PORT = PORT + 1;
const BARE_PORT = PORT + 2;

function startHelper(role, port, ...args) {
  const child = fork(
    fileURLToPath(new URL("./lib/upstream.mjs", import.meta.url)),
    [role, String(port), ...args],
    {
      stdio: "inherit",
    },
  );
  return new Promise((resolve) => child.once("message", () => resolve(child)));
}

async function main() {
  await build({ quiet: true });
  const calibrationBeforeMs = cpuCalibrationMs();
  const helpers = [
    await startHelper("upstream", UPSTREAM_PORT),
    await startHelper("bare-proxy", BARE_PORT, `http://127.0.0.1:${UPSTREAM_PORT}`),
  ];
  const databaseUrl = await freshDatabase();
  const oidc = await startOidcServer([`http://127.0.0.1:${PORT}/v1/oauth/generic/callback`]);
  // The first start creates the schema; the measured one is a replica (re)starting on it.
  const first = await startApi({ port: PORT, env: apiEnv(databaseUrl, oidc) });
  await first.stop();
  const api = await startApi({ port: PORT, env: apiEnv(databaseUrl, oidc) });
  const idleRssMb = rssMb(api.pid);
  const results = {
    startedAt: new Date().toISOString(),
    durationS: DURATION_S,
    readyMs: api.readyMs,
    firstStartMs: first.readyMs,
    idleRssMb,
    calibrationMs: { before: calibrationBeforeMs, after: null },
    runs: [],
  };
  try {
    const user = await seedUser(api.base, WEB_ORIGIN);
    const agent = await seedAgent(api.base, user.jwt);
    const ctx = {
      api,
      user,
      agent,
      upstreamOrigin: `http://127.0.0.1:${UPSTREAM_PORT}`,
      bareProxy: `http://127.0.0.1:${BARE_PORT}`,
    };
    ctx.connectionId = await seedConnection(api.base, user.jwt, ctx.upstreamOrigin);
    await seedPolicy(api.base, user.jwt, agent.agentId, ctx.connectionId, ctx.upstreamOrigin);
    ctx.oauthConnectionId = await connectOAuth(api.base, user, (url) => oidc.server.authorize(url));
    await createPolicy(api.base, user.jwt, agent.agentId, ctx.oauthConnectionId, {
      version: 1,
      allowedModels: ["A"],
      defaultMode: "custom",
      defaultAction: "allow",
      allowlists: [{ origin: OAUTH_API_ORIGIN, paths: ["/**"], methods: ["GET"] }],
      modelA: { maxTtlSeconds: 300 },
    });
    ctx.vaultAgentToken = await agentToken(api.base, agent);
    ctx.vaultToken = ctx.vaultAgentToken;
    for (const [name, make] of Object.entries(scenarios(ctx))) {
      if (ONLY && !ONLY.some((o) => name.includes(o))) continue;
      // Unmeasured load first: JIT, connection pools and caches warm up as they would in service.
      if (WARMUP_S > 0)
        await load({ ...(await make(CONNECTIONS[0])), connections: CONNECTIONS[0], durationS: WARMUP_S });
      for (const connections of CONNECTIONS) {
        const options = await make(connections);
        const cpuBefore = cpuMs(api.pid);
        const r = await load({ ...options, connections, durationS: DURATION_S });
        // API CPU per request: what the API itself costs, whatever else shares the machine.
        const apiCpuUs = name.startsWith("bare")
          ? null
          : Math.round(((cpuMs(api.pid) - cpuBefore) * 1000) / Math.max(1, r.total));
        results.runs.push({ scenario: name, connections, ...r, apiCpuUs, rssMb: rssMb(api.pid) });
        console.log(
          `${name.padEnd(40)} c=${String(connections).padStart(2)}  ${String(r.rps).padStart(6)} req/s  p50 ${r.p50} ms  p97.5 ${r.p97_5} ms  p99 ${r.p99} ms  errors ${r.errors}  non-2xx ${r.non2xx}${apiCpuUs === null ? "" : `  API CPU ${apiCpuUs} µs/req`}`,
        );
      }
    }
  } finally {
    await api.stop();
    await oidc.server.close();
    for (const h of helpers) h.kill();
  }
  results.calibrationMs.after = cpuCalibrationMs();
  const bare = Object.fromEntries(
    results.runs.filter((r) => r.scenario.startsWith("bare")).map((r) => [r.connections, r.rps]),
  );
  for (const r of results.runs)
    r.ratioToBare = bare[r.connections] ? Number((r.rps / bare[r.connections]).toFixed(2)) : null;
  console.log("\nRatio to the bare proxy at the same concurrency:");
  for (const r of results.runs) {
    if (!r.scenario.startsWith("bare"))
      console.log(`  ${r.scenario.padEnd(40)} c=${r.connections}  ${r.ratioToBare ?? "-"}`);
  }
  console.log(
    `\nAPI start to ready: ${results.readyMs} ms on PostgreSQL (first start, creating the schema: ${results.firstStartMs} ms); idle RSS ${idleRssMb} MB`,
  );
  console.log(
    `Machine speed (CPU ms for a fixed task, lower is faster): ${results.calibrationMs.before} before the scenarios, ${results.calibrationMs.after} after`,
  );
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  const file = new URL(`./results/bench-${results.startedAt.replace(/[:.]/g, "-")}.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Results written to ${fileURLToPath(file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
