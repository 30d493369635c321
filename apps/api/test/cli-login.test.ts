import { hashToken } from "@agenthifive/security";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { dumpRows, rawTokenForms } from "./helpers/stored-secrets.js";

/** `ah5 login` through the API (API.md §3.7): RFC 8628 semantics in our error envelope. */
let t: TestApp;
let owner: SignedInUser;
let offsetMs = 0;
const clock = { now: () => new Date(Date.now() + offsetMs) };

beforeAll(async () => {
  t = await buildTestApp({ clock });
  owner = await createUser(t.app, t.deps, "cli-login@example.com", "Cleo");
});
afterAll(async () => {
  await t?.close();
});

const start = async (deviceName = "ah5 on test-laptop") => {
  const res = await t.app.inject({ method: "POST", url: "/v1/cli/login", payload: { deviceName } });
  expect(res.statusCode).toBe(200);
  return res.json() as { deviceCode: string; userCode: string; verificationUri: string; interval: number };
};
const poll = (deviceCode: string) =>
  t.app.inject({ method: "POST", url: "/v1/cli/login/poll", payload: { deviceCode } });
const decide = (action: "approve" | "deny", token: string, payload: object) =>
  t.app.inject({ method: "POST", url: `/v1/cli/login/${action}`, headers: bearer(token), payload });
const SCOPES = ["workspace:read", "agents:read", "agents:write"];

describe("CLI sign-in device flow", () => {
  it("pending → slow_down → approve (POST, JWT) → one token → second poll fails", async () => {
    const s = await start();
    expect(s.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(s.deviceCode).toMatch(/^ah5d_/);
    expect(s.verificationUri).toBe("http://localhost:3000/cli/login");
    expect(s.interval).toBe(5);

    const pending = await poll(s.deviceCode);
    expect(pending.statusCode).toBe(400);
    expect(pending.json()).toMatchObject({
      code: "AUTHORIZATION_PENDING",
      details: { error: "authorization_pending" },
      hint: expect.any(String),
    });
    const fast = await poll(s.deviceCode);
    expect(fast.json()).toMatchObject({ code: "SLOW_DOWN", details: { error: "slow_down", interval: 10 } });

    // Confirmation is never a GET (link unfurlers must not approve), and never with a PAT.
    expect(
      (await t.app.inject({ method: "GET", url: "/v1/cli/login/approve", headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(404);
    const pat = (
      await t.app.inject({
        method: "POST",
        url: "/v1/tokens",
        headers: bearer(owner.token),
        payload: { name: "script", scopes: ["workspace:read"], expiresInDays: 1 },
      })
    ).json().token as string;
    expect((await decide("approve", pat, { userCode: s.userCode, scopes: SCOPES })).json().code).toBe(
      "PRINCIPAL_NOT_ALLOWED",
    );
    expect((await decide("approve", owner.token, { userCode: "BCDF-GHJK", scopes: SCOPES })).statusCode).toBe(
      404,
    );
    const tooMuch = await decide("approve", owner.token, { userCode: s.userCode, scopes: ["tokens:manage"] });
    expect(tooMuch.statusCode).toBe(403);
    expect(tooMuch.json().code).toBe("SCOPE_MISSING");

    const approved = await decide("approve", owner.token, {
      userCode: s.userCode.toLowerCase().replace("-", ""),
      scopes: SCOPES,
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toEqual({ status: "approved", deviceName: "ah5 on test-laptop" });
    expect((await decide("approve", owner.token, { userCode: s.userCode, scopes: SCOPES })).statusCode).toBe(
      404,
    );

    offsetMs += 11_000;
    const done = await poll(s.deviceCode);
    expect(done.statusCode).toBe(200);
    expect(done.headers["cache-control"]).toContain("no-store");
    const { token, pat: created } = done.json();
    expect(token).toMatch(/^ah5p_/);
    expect(created).toMatchObject({
      name: "ah5 on test-laptop",
      scopes: SCOPES,
      workspaceId: owner.workspaceId,
    });
    const days = (Date.parse(created.expiresAt) - clock.now().getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(90);
    const agents = await t.app.inject({ method: "GET", url: "/v1/agents", headers: bearer(token) });
    expect(agents.statusCode).toBe(200);

    const again = await poll(s.deviceCode);
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: "EXPIRED_TOKEN", details: { error: "expired_token" } });

    const audit = await t.app.inject({
      method: "GET",
      url: "/v1/audit?limit=20",
      headers: bearer(owner.token),
    });
    const actions = audit.json().items.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["cli_login.approved", "pat.created", "cli_login.completed"]),
    );
  });

  it("stores the device code as its SHA-256 hash only, and the minted PAT hashed too", async () => {
    const s = await start("ah5 on hashed-laptop");
    const requests = () => t.deps.database.db.query.cliLoginRequests.findMany();
    const before = await requests();
    for (const form of rawTokenForms(s.deviceCode)) expect(dumpRows(before)).not.toContain(form);
    const row = before.find((r) => r.deviceName === "ah5 on hashed-laptop");
    expect(row?.deviceCodeHash.toString("hex")).toBe(hashToken(s.deviceCode).toString("hex"));
    // The user code is looked up by value: it only names the request for a signed-in person.
    expect(row?.userCode).toBe(s.userCode.replace("-", ""));

    expect((await decide("approve", owner.token, { userCode: s.userCode, scopes: SCOPES })).statusCode).toBe(
      200,
    );
    const done = await poll(s.deviceCode);
    expect(done.statusCode).toBe(200);
    const { token, pat } = done.json();
    const after = dumpRows(await requests());
    const pats = await t.deps.database.db.query.personalAccessTokens.findMany();
    for (const form of [...rawTokenForms(s.deviceCode), ...rawTokenForms(token)]) {
      expect(after).not.toContain(form);
      expect(dumpRows(pats)).not.toContain(form);
    }
    expect(pats.find((p) => p.id === pat.id)?.tokenHash.toString("hex")).toBe(
      hashToken(token).toString("hex"),
    );
  });

  it("shows the signed-in person which device asked for a code, and when, before they confirm", async () => {
    const s = await start("ah5 on build-box");
    const lookup = (code: string, token = owner.token) =>
      t.app.inject({
        method: "GET",
        url: `/v1/cli/login/pending?userCode=${encodeURIComponent(code)}`,
        headers: bearer(token),
      });
    const res = await lookup(s.userCode);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      deviceName: "ah5 on build-box",
      requestedAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    expect(Date.now() - Date.parse(res.json().requestedAt)).toBeLessThan(60_000);
    // Nothing was decided by looking.
    expect((await poll(s.deviceCode)).json().code).toBe("AUTHORIZATION_PENDING");
    expect((await lookup("BCDF-GHJK")).statusCode).toBe(404);
    await decide("deny", owner.token, { userCode: s.userCode });
    expect((await lookup(s.userCode)).statusCode).toBe(404);
  });

  it("a denied request answers access_denied", async () => {
    const s = await start();
    const denied = await decide("deny", owner.token, { userCode: s.userCode });
    expect(denied.json()).toMatchObject({ status: "denied" });
    const res = await poll(s.deviceCode);
    expect(res.json()).toMatchObject({ code: "ACCESS_DENIED", details: { error: "access_denied" } });
  });

  it("unknown and expired device codes answer expired_token", async () => {
    expect((await poll("ah5d_nope")).json().code).toBe("EXPIRED_TOKEN");
    const s = await start();
    offsetMs += 601_000;
    expect((await poll(s.deviceCode)).json().code).toBe("EXPIRED_TOKEN");
  });

  it("start is rate limited per IP with Retry-After", async () => {
    let limited: Awaited<ReturnType<typeof t.app.inject>> | undefined;
    for (let i = 0; i < 15 && !limited; i++) {
      const res = await t.app.inject({ method: "POST", url: "/v1/cli/login", payload: {} });
      if (res.statusCode === 429) limited = res;
    }
    expect(limited?.headers["retry-after"]).toBeDefined();
  });
});
