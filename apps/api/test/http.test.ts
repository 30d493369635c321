import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/lib/logger.js";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { bearer, createUser, PASSWORD, type SignedInUser } from "./helpers/flows.js";

const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

const json = async <T>(res: Response) => (await res.json()) as T;

let t: TestApp;
let base: string;
let user: SignedInUser;
beforeAll(async () => {
  t = await buildTestApp({ logger: createLogger("trace", sink) });
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  user = await createUser(t.app, t.deps, "http@example.com", "Hal");
});
afterAll(async () => {
  await t?.close();
});

describe("over real HTTP", () => {
  it("serves liveness and readiness", async () => {
    const health = await fetch(`${base}/health`);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: { db: "ok", migrations: "ok", keys: "ok" },
    });
  });

  it("calls a protected route with a JWT", async () => {
    const res = await fetch(`${base}/v1/workspaces/current`, { headers: bearer(user.token) });
    expect(res.status).toBe(200);
    expect((await json<{ id: string }>(res)).id).toBe(user.workspaceId);
  });

  it("answers the dashboard's origin with CORS headers, and agent routes with none", async () => {
    const human = await fetch(`${base}/v1/workspaces/current`, {
      headers: { ...bearer(user.token), origin: WEB_ORIGIN },
    });
    expect(human.headers.get("access-control-allow-origin")).toBe(WEB_ORIGIN);
    expect(human.headers.get("access-control-allow-credentials")).toBe("true");
    const stranger = await fetch(`${base}/v1/workspaces/current`, {
      headers: { ...bearer(user.token), origin: "https://evil.example" },
    });
    expect(stranger.headers.get("access-control-allow-origin")).toBeNull();

    const agent = await enrolledAgent(t.app, user.token, "cors agent");
    const me = await fetch(`${base}/v1/agent/me`, {
      headers: { ...bearer(agent.token), origin: WEB_ORIGIN },
    });
    expect(me.status).toBe(200);
    const token = await fetch(`${base}/v1/agents/token`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: WEB_ORIGIN },
      body: "{}",
    });
    expect(token.status).toBe(400);
    for (const res of [me, token]) {
      expect(res.headers.get("access-control-allow-origin")).toBeNull();
      expect(res.headers.get("access-control-allow-credentials")).toBeNull();
    }
  });

  it("sets the security headers and echoes a valid request id", async () => {
    const res = await fetch(`${base}/v1/workspaces/current`, {
      headers: { ...bearer(user.token), "x-request-id": "client-req.42" },
    });
    expect(res.headers.get("x-request-id")).toBe("client-req.42");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-powered-by")).toBeNull();
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    const docs = await fetch(`${base}/docs/`);
    expect(docs.headers.get("content-security-policy")).toContain("default-src");
  });

  it("replaces a malformed request id", async () => {
    const res = await fetch(`${base}/health`, { headers: { "x-request-id": "bad id with spaces" } });
    expect(res.headers.get("x-request-id")).toMatch(/^req-/);
  });

  it("answers unknown routes in the error shape", async () => {
    const res = await fetch(`${base}/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({
      code: "NOT_FOUND",
      requestId: expect.any(String),
      hint: expect.any(String),
    });
  });

  it("rejects malformed JSON with VALIDATION_FAILED", async () => {
    const res = await fetch(`${base}/v1/workspaces`, {
      method: "POST",
      headers: { ...bearer(user.token), "content-type": "application/json" },
      body: '{"name": ',
    });
    expect(res.status).toBe(400);
    expect((await json<{ code: string }>(res)).code).toBe("VALIDATION_FAILED");
  });

  it("lists schema issues in details", async () => {
    const res = await fetch(`${base}/v1/workspaces`, {
      method: "POST",
      headers: { ...bearer(user.token), "content-type": "application/json" },
      body: JSON.stringify({ name: 42 }),
    });
    const body = await json<{ details: { issues: unknown[] } }>(res);
    expect(res.status).toBe(400);
    expect(body.details.issues[0]).toMatchObject({
      path: expect.stringContaining("name"),
      message: expect.any(String),
    });
  });

  it("refuses bodies over 1 MiB with 413", async () => {
    const res = await fetch(`${base}/v1/workspaces`, {
      method: "POST",
      headers: { ...bearer(user.token), "content-type": "application/json" },
      body: JSON.stringify({ name: "x".repeat(1_100_000) }),
    });
    expect(res.status).toBe(413);
    expect((await json<{ code: string }>(res)).code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("refuses a non-JSON body with 415", async () => {
    const res = await fetch(`${base}/v1/workspaces`, {
      method: "POST",
      headers: { ...bearer(user.token), "content-type": "application/xml" },
      body: "<name/>",
    });
    expect(res.status).toBe(415);
  });

  it("serves the OpenAPI document generated from the contracts", async () => {
    const doc = await json<{ openapi: string; paths: object }>(await fetch(`${base}/docs/json`));
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/v1/workspaces", "/v1/members/{userId}", "/.well-known/jwks.json"]),
    );
    expect((await fetch(`${base}/docs`)).status).toBeLessThan(400);
  });
});

describe("the principal rule over the whole route table", () => {
  it("every route declares a principal, and only the listed ones are public", () => {
    const publicRoutes = t.app.routeTable
      .filter((r) => r.principal === "public")
      .map((r) => `${r.method} ${r.url}`);
    expect(publicRoutes.sort()).toEqual(
      [
        "GET /.well-known/jwks.json",
        "GET /api/dev/mailbox",
        "POST /api/internal/token/exchange",
        "GET /health",
        "GET /ready",
        "GET /v1/oauth/:provider/callback",
        "POST /v1/agents/bootstrap",
        "POST /v1/agents/token",
        "POST /v1/cli/login",
        "POST /v1/cli/login/poll",
        "GET /v1/action-links/:token",
        "POST /v1/action-links/:token",
      ].sort(),
    );
  });

  it("every protected route refuses no credential, a bogus agent token and a bogus PAT", async () => {
    const guarded = t.app.routeTable.filter((r) => r.principal !== "public");
    expect(guarded.length).toBeGreaterThan(8);
    for (const r of guarded) {
      const url = r.url.replace(/:[A-Za-z]+/g, "0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f");
      for (const headers of [{}, bearer(`ah5t_${"a".repeat(43)}`), bearer(`ah5p_${"b".repeat(43)}`)]) {
        const res = await t.app.inject({ method: r.method as "GET", url, headers });
        expect(res.statusCode, `${r.method} ${url}`).toBe(401);
        expect(res.json().code).toBe("UNAUTHENTICATED");
      }
    }
  });
});

describe("logs", () => {
  it("never contain passwords, session tokens or JWTs", () => {
    const all = logLines.join("");
    expect(all.length).toBeGreaterThan(0);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(user.token);
    const sessionToken = decodeURIComponent(user.cookie.split("=")[1]?.split(".")[0] ?? "");
    expect(sessionToken.length).toBeGreaterThan(10);
    expect(all).not.toContain(sessionToken);
  });
});
