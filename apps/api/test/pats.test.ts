import { hashToken } from "@agenthifive/security";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, exchange, lastMail, type SignedInUser } from "./helpers/flows.js";
import { dumpRows, rawTokenForms } from "./helpers/stored-secrets.js";

let t: TestApp;
let owner: SignedInUser;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.app, t.deps, "pat-owner@example.com", "Pat");
});
afterAll(async () => {
  await t?.close();
});

const mint = (token: string, scopes: string[], name = "script", expiresInDays = 30) =>
  t.app.inject({
    method: "POST",
    url: "/v1/tokens",
    headers: bearer(token),
    payload: { name, scopes, expiresInDays },
  });

describe("personal access tokens", () => {
  it("are shown once, listed without the secret, and work for their scopes only", async () => {
    const res = await mint(owner.token, ["workspace:read", "agents:read"]);
    expect(res.statusCode).toBe(201);
    const { token, pat } = res.json();
    expect(token).toMatch(/^ah5p_/);
    expect(pat).toMatchObject({
      name: "script",
      scopes: ["workspace:read", "agents:read"],
      lastFour: expect.any(String),
    });
    const list = await t.app.inject({ method: "GET", url: "/v1/tokens", headers: bearer(owner.token) });
    expect(list.body).not.toContain(token);
    expect(list.json().items[0].id).toBe(pat.id);

    expect(
      (await t.app.inject({ method: "GET", url: "/v1/agents", headers: bearer(token) })).statusCode,
    ).toBe(200);
    const write = await t.app.inject({
      method: "POST",
      url: "/v1/agents",
      headers: bearer(token),
      payload: { name: "x" },
    });
    expect(write.statusCode).toBe(403);
    expect(write.json()).toMatchObject({ code: "SCOPE_MISSING", details: { required: ["agents:write"] } });
  });

  it("are stored as their SHA-256 hash only, never the raw token", async () => {
    const { token, pat } = (await mint(owner.token, ["workspace:read"], "hashed")).json();
    const rows = await t.deps.database.db.query.personalAccessTokens.findMany();
    const text = dumpRows(rows);
    for (const form of rawTokenForms(token)) expect(text).not.toContain(form);
    const row = rows.find((r) => r.id === pat.id);
    expect(row?.tokenHash.toString("hex")).toBe(hashToken(token).toString("hex"));
    for (const r of rows) expect(r.tokenHash).toHaveLength(32);
    // The stored hash is what authenticates: the token still works.
    expect(
      (await t.app.inject({ method: "GET", url: "/v1/workspaces/current", headers: bearer(token) }))
        .statusCode,
    ).toBe(200);
  });

  it("cannot mint, list or revoke PATs (JWT only)", async () => {
    const { token, pat } = (await mint(owner.token, ["workspace:read"])).json();
    const res = await mint(token, ["workspace:read"]);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
    expect(
      (await t.app.inject({ method: "GET", url: "/v1/tokens", headers: bearer(token) })).statusCode,
    ).toBe(403);
    const revoke = await t.app.inject({
      method: "DELETE",
      url: `/v1/tokens/${pat.id}`,
      headers: bearer(token),
    });
    expect(revoke.statusCode).toBe(403);
    expect(revoke.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
    expect(
      (await t.app.inject({ method: "GET", url: "/v1/workspaces/current", headers: bearer(token) }))
        .statusCode,
    ).toBe(200);
  });

  it("refuse scopes the creator lacks or that need a session", async () => {
    for (const scopes of [["tokens:manage"], ["members:manage"], ["workspace:delete"], ["vault:execute"]]) {
      const res = await mint(owner.token, scopes);
      expect(res.statusCode, scopes[0]).toBe(403);
      expect(res.json(), scopes[0]).toMatchObject({
        code: "SCOPE_MISSING",
        details: { required: scopes, reason: "not_grantable" },
      });
    }
  });

  it("are rejected once revoked", async () => {
    const { token, pat } = (await mint(owner.token, ["workspace:read"])).json();
    const current = () =>
      t.app.inject({ method: "GET", url: "/v1/workspaces/current", headers: bearer(token) });
    expect((await current()).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: "DELETE", url: `/v1/tokens/${pat.id}`, headers: bearer(owner.token) }))
        .statusCode,
    ).toBe(204);
    const res = await current();
    expect(res.statusCode).toBe(401);
    expect(res.json().code).toBe("UNAUTHENTICATED");
  });

  it("expire", async () => {
    const { token } = (await mint(owner.token, ["workspace:read"], "short", 1)).json();
    const later = await buildTestApp({
      sharedDatabase: t.deps.database,
      clock: { now: () => new Date(Date.now() + 2 * 86_400_000) },
      env: {
        AUTH_SECRET: t.deps.config.AUTH_SECRET as string,
        ENCRYPTION_KEYS: t.deps.config.ENCRYPTION_KEYS as string,
      },
    });
    try {
      const res = await later.app.inject({
        method: "GET",
        url: "/v1/workspaces/current",
        headers: bearer(token),
      });
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe("TOKEN_EXPIRED");
    } finally {
      await later.app.close();
    }
  });

  it("mint bootstrap secrets only with the explicit agents:bootstrap scope", async () => {
    const agent = await createAgent(t.app, owner.token, "Scripted");
    const plain = (await mint(owner.token, ["agents:write"])).json().token;
    const refused = await t.app.inject({
      method: "POST",
      url: `/v1/agents/${agent.id}/bootstrap-secrets`,
      headers: bearer(plain),
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().details.required).toEqual(["agents:bootstrap"]);
    const boot = (await mint(owner.token, ["agents:bootstrap"])).json().token;
    const ok = await t.app.inject({
      method: "POST",
      url: `/v1/agents/${agent.id}/bootstrap-secrets`,
      headers: bearer(boot),
    });
    expect(ok.statusCode).toBe(201);
  });

  it("lose scopes when the user is demoted, and die when the user is removed", async () => {
    const email = "pat-member@example.com";
    const m = await createUser(t.app, t.deps, email, "Mo");
    await t.app.inject({
      method: "POST",
      url: "/v1/invitations",
      headers: bearer(owner.token),
      payload: { email, role: "admin" },
    });
    const inviteToken = new URL(lastMail(t.deps, email, "invitation").link as string).searchParams.get(
      "token",
    );
    await t.app.inject({
      method: "POST",
      url: "/v1/invitations/accept",
      headers: bearer(m.token),
      payload: { token: inviteToken },
    });
    const jwt = (await exchange(t.app, m.cookie, owner.workspaceId)).json().accessToken;
    const token = (await mint(jwt, ["workspace:read", "workspace:write"])).json().token;
    const patch = () =>
      t.app.inject({
        method: "PATCH",
        url: "/v1/workspaces/current",
        headers: bearer(token),
        payload: { name: "Pat's workspace" },
      });
    expect((await patch()).statusCode).toBe(200);
    await t.app.inject({
      method: "PATCH",
      url: `/v1/members/${m.userId}`,
      headers: bearer(owner.token),
      payload: { role: "viewer" },
    });
    expect((await patch()).statusCode).toBe(403);
    await t.app.inject({ method: "DELETE", url: `/v1/members/${m.userId}`, headers: bearer(owner.token) });
    const res = await t.app.inject({ method: "GET", url: "/v1/workspaces/current", headers: bearer(token) });
    expect(res.statusCode).toBe(401);
    const rows = await t.deps.database.db.query.personalAccessTokens.findMany();
    expect(rows.filter((r) => r.userId === m.userId).every((r) => r.revokedAt !== null)).toBe(true);
  });
});
