import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import postgres from "postgres";

/**
 * A real API process on a fresh database for client tests: `apps/api/dist/bundle/main.js` (built by the
 * global setup) on a free port, PGlite in a temp DATA_DIR, or a new database on TEST_DATABASE_URL's
 * server. Clients talk to it over HTTP only, as they would in production.
 */
export const API_MAIN = fileURLToPath(new URL("../../../../apps/api/dist/bundle/main.js", import.meta.url));
export const WEB_ORIGIN = "http://localhost:3000";
const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface Upstream {
  origin: string;
  host: string;
  seen: Array<{ method: string; url: string; body: string }>;
  close(): Promise<void>;
}

/** A small local provider API recording what it received. */
export async function startUpstream(): Promise<Upstream> {
  const seen: Upstream["seen"] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", body });
      const url = new URL(req.url ?? "/", "http://x");
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify(value));
      };
      if (url.pathname === "/v1/items") return json(200, { items: [{ id: "a1", title: "first" }] });
      if (url.pathname === "/v1/echo")
        return json(200, { method: req.method, body: body ? JSON.parse(body) : null });
      if (url.pathname === "/v1/files/report.txt") {
        res.writeHead(200, {
          "content-type": "text/plain",
          "content-disposition": 'attachment; filename="../../report.txt"',
        });
        return res.end("quarterly numbers\n");
      }
      json(404, { error: "no route" });
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

export interface LiveApi {
  url: string;
  upstream: Upstream;
  logs(): string;
  stop(): Promise<void>;
}

export async function startLiveApi(env: Record<string, string> = {}): Promise<LiveApi> {
  const upstream = await startUpstream();
  const dataDir = mkdtempSync(join(tmpdir(), "ah5-live-"));
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (TEST_DATABASE_URL) {
    dbName = `ah5_test_${randomBytes(6).toString("hex")}`;
    const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = `/${dbName}`;
    databaseUrl = u.toString();
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [API_MAIN], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: "test",
      PORT: String(port),
      API_PUBLIC_URL: url,
      WEB_URL: WEB_ORIGIN,
      DATA_DIR: dataDir,
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      LOG_LEVEL: "warn",
      AUTH_SECRET: `test-auth-secret-${randomBytes(16).toString("hex")}`,
      ENCRYPTION_KEYS: `test-1:${randomBytes(32).toString("base64url")}`,
      VAULT_DEV_ALLOW_HOSTS: upstream.host,
      AGENT_BOOTSTRAP_PER_MINUTE_PER_IP: "10000",
      AGENT_BOOTSTRAP_PER_HOUR_PER_IP: "10000",
      AGENT_TOKEN_PER_MINUTE_PER_IP: "10000",
      AGENT_TOKEN_PER_MINUTE_PER_AGENT: "10000",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d) => {
    output += d;
  });
  child.stderr?.on("data", (d) => {
    output += d;
  });
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    await upstream.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (dbName && TEST_DATABASE_URL) {
      const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
      await admin.unsafe(`drop database if exists ${dbName} with (force)`);
      await admin.end();
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`the API exited during start-up:\n${output}`);
    }
    const ready = await fetch(`${url}/ready`).catch(() => null);
    if (ready?.status === 200) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the API did not become ready:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, upstream, logs: () => output, stop };
}

const cookiesOf = (res: Response) =>
  res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");

async function call(url: string, init: RequestInit & { json?: unknown } = {}) {
  const { json, ...rest } = init;
  const res = await fetch(url, {
    ...rest,
    headers: {
      ...(json === undefined ? {} : { "content-type": "application/json" }),
      ...(rest.headers as Record<string, string>),
    },
    body: json === undefined ? rest.body : JSON.stringify(json),
  });
  return res;
}

async function ok(res: Response, what: string) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

export interface Human {
  email: string;
  cookie: string;
  jwt: string;
  workspaceId: string;
}

/** Sign up → verify the e-mail through the dev mailbox → sign in → exchange for a 5-minute JWT. */
export async function createHuman(api: LiveApi, email = `user-${randomUUID()}@example.com`): Promise<Human> {
  const password = "correct horse battery staple";
  const origin = { origin: WEB_ORIGIN };
  await ok(
    await call(`${api.url}/api/auth/sign-up/email`, {
      method: "POST",
      headers: origin,
      json: { email, password, name: "Client Tester" },
    }),
    "sign-up",
  );
  const mailbox = (await (
    await ok(await call(`${api.url}/api/dev/mailbox?to=${encodeURIComponent(email)}`), "mailbox")
  ).json()) as { items: Array<{ kind: string; link?: string }> };
  const link = mailbox.items.find((m) => m.kind === "verify_email")?.link;
  if (!link) throw new Error("no verification mail");
  const verify = new URL(link);
  const verified = await fetch(`${api.url}${verify.pathname}${verify.search}`, { redirect: "manual" });
  if (verified.status >= 400) throw new Error(`verify: ${verified.status}`);
  const signIn = await ok(
    await call(`${api.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: origin,
      json: { email, password },
    }),
    "sign-in",
  );
  const cookie = cookiesOf(signIn);
  const ex = await ok(
    await call(`${api.url}/api/internal/token/exchange`, {
      method: "POST",
      headers: { ...origin, cookie },
      json: {},
    }),
    "exchange",
  );
  const { accessToken, workspaceId } = (await ex.json()) as { accessToken: string; workspaceId: string };
  return { email, cookie, jwt: accessToken, workspaceId };
}

export const OWNER_PAT_SCOPES = [
  "workspace:read",
  "connections:read",
  "connections:write",
  "agents:read",
  "agents:write",
  "agents:bootstrap",
  "policies:read",
  "policies:write",
  "approvals:read",
  "approvals:decide",
  "audit:read",
  "audit:export",
];

/** A personal access token (`ah5p_…`) minted with the person's JWT. */
export async function createPat(api: LiveApi, human: Human, scopes = OWNER_PAT_SCOPES): Promise<string> {
  const res = await ok(
    await call(`${api.url}/v1/tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${human.jwt}` },
      json: { name: `test ${randomUUID().slice(0, 8)}`, scopes, expiresInDays: 1 },
    }),
    "create PAT",
  );
  return ((await res.json()) as { token: string }).token;
}

/** A key connection to the local upstream and a policy: GET allowed, POST /v1/echo needs approval. */
export async function seedConnectionAndPolicy(api: LiveApi, human: Human, agentId: string) {
  const auth = { authorization: `Bearer ${human.jwt}` };
  const conn = await ok(
    await call(`${api.url}/v1/connections/api-key`, {
      method: "POST",
      headers: auth,
      json: {
        provider: "generic-api-key",
        label: `Local API ${randomUUID().slice(0, 6)}`,
        secret: "sk-upstream-0123456789",
        extra: { origin: api.upstream.origin },
      },
    }),
    "connection",
  );
  const connectionId = ((await conn.json()) as { id: string }).id;
  const document = {
    version: 1,
    allowedModels: ["B"],
    defaultMode: "custom",
    defaultAction: "deny",
    allowlists: [{ origin: api.upstream.origin, paths: ["/v1/**"], methods: ["GET", "POST"] }],
    requestRules: [
      { id: "r-read", match: { methods: ["GET"], path: "/v1/**" }, action: "allow" },
      { id: "r-send", match: { methods: ["POST"], path: "/v1/echo" }, action: "require_approval" },
    ],
  };
  const policy = await ok(
    await call(`${api.url}/v1/policies`, {
      method: "POST",
      headers: auth,
      json: { agentId, connectionId, document },
    }),
    "policy",
  );
  return { connectionId, policyId: ((await policy.json()) as { id: string }).id };
}

/** Approves an approval as the person, straight over HTTP (what the dashboard does). */
export async function approveAsHuman(api: LiveApi, human: Human, approvalId: string) {
  const res = await ok(
    await call(`${api.url}/v1/approvals/${approvalId}/approve`, {
      method: "POST",
      headers: { authorization: `Bearer ${human.jwt}` },
      json: {},
    }),
    "approve",
  );
  return res.json();
}
