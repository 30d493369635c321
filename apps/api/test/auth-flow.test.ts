import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { bearer, createUser, exchange, lastMail, signIn, signUp, verifyEmail } from "./helpers/flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("sign-up → verify → sign-in → exchange → protected route", () => {
  it("works end to end and creates a personal workspace owned by the user", async () => {
    const user = await createUser(t.app, t.deps, "ada@example.com", "Ada");
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/workspaces/current",
      headers: bearer(user.token),
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: user.workspaceId, name: "Ada's workspace" });
    expect(res.headers["cache-control"]).toBe("no-store");
    const list = await t.app.inject({ method: "GET", url: "/v1/workspaces", headers: bearer(user.token) });
    expect(list.json()).toEqual({
      items: [{ id: user.workspaceId, name: "Ada's workspace", role: "owner" }],
      nextCursor: null,
    });
  });

  it("refuses sign-in before the email is verified", async () => {
    await signUp(t.app, "unverified@example.com");
    const { res, cookie } = await signIn(t.app, "unverified@example.com");
    expect(res.statusCode).toBe(403);
    expect(cookie).toBe("");
  });

  it("issues a JWT with the seed's claims and a 300 s lifetime", async () => {
    const user = await createUser(t.app, t.deps, "claims@example.com");
    const [header, payload] = user.token
      .split(".")
      .slice(0, 2)
      .map((p) => JSON.parse(Buffer.from(p, "base64url").toString()));
    expect(header).toMatchObject({ alg: "ES256", typ: "JWT" });
    expect(typeof header.kid).toBe("string");
    expect(payload).toMatchObject({
      iss: "web",
      aud: "api",
      sub: user.userId,
      wid: user.workspaceId,
      roles: ["owner"],
    });
    expect(payload.exp - payload.iat).toBe(300);
    expect(payload.scp).toContain("workspace:delete");
    expect(typeof payload.sid).toBe("string");
    expect(typeof payload.jti).toBe("string");
  });

  it("sends a password reset mail and the new password works", async () => {
    const user = await createUser(t.app, t.deps, "reset@example.com");
    const ask = await t.app.inject({
      method: "POST",
      url: "/api/auth/request-password-reset",
      headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: { email: user.email, redirectTo: "/reset" },
    });
    expect(ask.statusCode).toBe(200);
    const link = new URL(lastMail(t.deps, user.email, "reset_password").link as string);
    const token = link.pathname.split("/").pop();
    const reset = await t.app.inject({
      method: "POST",
      url: "/api/auth/reset-password",
      headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: { token, newPassword: "a brand new passphrase" },
    });
    expect(reset.statusCode).toBe(200);
    expect((await signIn(t.app, user.email)).res.statusCode).toBe(401);
    expect((await signIn(t.app, user.email, "a brand new passphrase")).res.statusCode).toBe(200);
  });
});

describe("token exchange guards", () => {
  it("needs a session", async () => {
    const res = await exchange(t.app, "");
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({
      code: "UNAUTHENTICATED",
      hint: expect.any(String),
      requestId: expect.any(String),
    });
  });

  it("refuses a missing or foreign Origin (CSRF)", async () => {
    const user = await createUser(t.app, t.deps, "csrf@example.com");
    for (const origin of [undefined, "https://evil.example"]) {
      const res = await t.app.inject({
        method: "POST",
        url: "/api/internal/token/exchange",
        headers: { "content-type": "application/json", cookie: user.cookie, ...(origin ? { origin } : {}) },
        payload: {},
      });
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe("CSRF_ORIGIN_MISMATCH");
    }
  });

  it("requires a JSON content type", async () => {
    const user = await createUser(t.app, t.deps, "ctype@example.com");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/internal/token/exchange",
      headers: { origin: WEB_ORIGIN, "content-type": "text/plain", cookie: user.cookie },
      payload: "{}",
    });
    expect(res.statusCode).toBe(415);
  });

  it("answers 404 for a workspace the user is not a member of", async () => {
    const a = await createUser(t.app, t.deps, "ws-a@example.com");
    const b = await createUser(t.app, t.deps, "ws-b@example.com");
    const res = await exchange(t.app, a.cookie, b.workspaceId);
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe("NOT_FOUND");
  });

  it("rejects unknown body fields", async () => {
    const user = await createUser(t.app, t.deps, "strict@example.com");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/internal/token/exchange",
      headers: { origin: WEB_ORIGIN, "content-type": "application/json", cookie: user.cookie },
      payload: { workspace: "x" },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("VALIDATION_FAILED");
  });
});

describe("sessions at rest", () => {
  it("stores only the SHA-256 of the session token; sessions still work, list and revoke", async () => {
    const user = await createUser(t.app, t.deps, "hashed-session@example.com");
    const raw = decodeURIComponent(user.cookie.split("ah5.session_token=")[1]?.split(";")[0] ?? "").split(
      ".",
    )[0] as string;
    expect(raw.length).toBeGreaterThan(16);
    const rows = await t.deps.database.db.query.sessions.findMany({
      where: (s, { eq }) => eq(s.userId, user.userId),
    });
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect(row.token).not.toBe(raw);
    expect(rows.map((r) => r.token)).toContain(createHash("sha256").update(raw).digest("hex"));

    const list = await t.app.inject({
      method: "GET",
      url: "/api/auth/list-sessions",
      headers: { cookie: user.cookie, origin: WEB_ORIGIN },
    });
    expect(list.statusCode).toBe(200);
    const other = (list.json() as { token: string }[]).find((s) => s.token !== raw);
    if (other) {
      const revoked = await t.app.inject({
        method: "POST",
        url: "/api/auth/revoke-session",
        headers: { cookie: user.cookie, origin: WEB_ORIGIN, "content-type": "application/json" },
        payload: { token: other.token },
      });
      expect(revoked.statusCode).toBe(200);
    }
    const out = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-out",
      headers: { cookie: user.cookie, origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    expect((await exchange(t.app, user.cookie)).statusCode).toBe(401);
  });
});

describe("email verification", () => {
  it("signs the user in when the link is followed", async () => {
    await signUp(t.app, "link@example.com");
    const cookie = await verifyEmail(t.app, t.deps, "link@example.com");
    expect(cookie).toMatch(/ah5\.session_token=/);
    expect((await exchange(t.app, cookie)).statusCode).toBe(200);
  });
});

describe("session token exchange limit", () => {
  it("counts per client address: junk or forged session cookies do not open fresh buckets", async () => {
    const limited = await buildTestApp({ env: { SESSION_EXCHANGE_PER_MINUTE_PER_IP: "60" } });
    const user = await createUser(limited.app, limited.deps, "limit@example.com", "Lim");
    const answers: number[] = [];
    for (let i = 0; i < 61; i++) {
      const cookie = i % 2 ? `${user.cookie}; junk${i}=${i}` : `ah5.session_token=forged-${i}`;
      answers.push((await exchange(limited.app, cookie)).statusCode);
    }
    await limited.close();
    // createUser's exchange counted too: 59 more fit in the minute, whatever the cookie, then 429.
    expect(answers.filter((s) => s !== 429)).toHaveLength(59);
    expect(answers.slice(-2)).toEqual([429, 429]);
  });
});
