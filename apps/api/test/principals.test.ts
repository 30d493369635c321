import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

let t: TestApp;
let owner: SignedInUser;
let agentToken: string;
let pat: string;
const ID = "0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f";

beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.app, t.deps, "principals@example.com", "Pia");
  agentToken = (await enrolledAgent(t.app, owner.token, "Walker")).token;
  const res = await t.app.inject({
    method: "POST",
    url: "/v1/tokens",
    headers: bearer(owner.token),
    payload: { name: "cli", scopes: ["workspace:read", "agents:read"], expiresInDays: 1 },
  });
  pat = res.json().token;
});
afterAll(async () => {
  await t?.close();
});

/** Walks the whole route table (API.md S2): the principal rule holds for every route. */
describe("principal separation over every route", () => {
  const call = (method: string, url: string, token: string) =>
    t.app.inject({ method: method as "GET", url: url.replace(/:[A-Za-z]+/g, ID), headers: bearer(token) });

  it("an agent token gets 403 PRINCIPAL_NOT_ALLOWED on every human route", async () => {
    const human = t.app.routeTable.filter((r) => r.principal === "human");
    expect(human.length).toBeGreaterThan(20);
    for (const r of human) {
      const res = await call(r.method, r.url, agentToken);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json()).toMatchObject({ code: "PRINCIPAL_NOT_ALLOWED", hint: expect.any(String) });
    }
  });

  it("a human JWT and a PAT get 403 PRINCIPAL_NOT_ALLOWED on every agent route", async () => {
    const agentRoutes = t.app.routeTable.filter((r) => r.principal === "agent");
    expect(agentRoutes.length).toBeGreaterThanOrEqual(2);
    for (const r of agentRoutes) {
      for (const token of [owner.token, pat]) {
        const res = await call(r.method, r.url, token);
        expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
        expect(res.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
      }
    }
  });

  it("every route declares a scope unless it is public or open to any member", () => {
    const open = t.app.routeTable
      .filter((r) => r.principal !== "public" && r.scope === undefined)
      .map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual(
      ["GET /v1/workspaces", "POST /v1/invitations/accept", "POST /v1/workspaces"].sort(),
    );
  });

  it("the agent reaches its own routes", async () => {
    expect((await call("GET", "/v1/agent/me", agentToken)).statusCode).toBe(200);
  });
});
