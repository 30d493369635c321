import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/db/schema/index.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer } from "./helpers/flows.js";
import { approvalSetup, manualClock, memberWithRole } from "./helpers/notifications.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";
import { startUpstream } from "./helpers/upstream.js";

/**
 * ARCHITECTURE §6.5 at the route: an approval is single-use under concurrency, bound to the
 * exact request, its connection and model, and expires; §6.4: a redirect is held to the policy's
 * allowlist, not only to the SSRF ranges; §6.8: the audit row is committed before the answer.
 */
const clock = manualClock();
let t: TestApp;
let provider: Awaited<ReturnType<typeof startProviderUpstream>>;
let elsewhere: Awaited<ReturnType<typeof startUpstream>>;
let redirector: Awaited<ReturnType<typeof startUpstream>>;
let looper: Awaited<ReturnType<typeof startUpstream>>;
let setup: Awaited<ReturnType<typeof approvalSetup>>;

const send = (payload: Record<string, unknown>) =>
  t.app.inject({
    method: "POST",
    url: "/v1/vault/execute",
    headers: bearer(setup.agent.token),
    payload: {
      model: "B",
      connectionId: setup.connectionId,
      method: "POST",
      url: `${provider.origin}/v1/echo`,
      ...payload,
    },
  });

const approve = (id: string) =>
  t.app.inject({ method: "POST", url: `/v1/approvals/${id}/approve`, headers: bearer(setup.owner.token) });

const echoes = () => provider.seen.filter((r) => r.url.startsWith("/v1/echo")).length;

beforeAll(async () => {
  provider = await startProviderUpstream();
  elsewhere = await startUpstream((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"reached":true}');
  });
  redirector = await startUpstream((_req, res) => {
    res.writeHead(302, { location: `${elsewhere.origin}/v1/anything` });
    res.end();
  });
  looper = await startUpstream((req, res) => {
    if (req.url === "/v1/echo") {
      res.writeHead(307, { location: "/v1/echo?again=1" });
      return res.end();
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"again":true}');
  });
  t = await buildTestApp({
    clock,
    env: { VAULT_DEV_ALLOW_HOSTS: `${provider.host},${elsewhere.host},${redirector.host},${looper.host}` },
    verifyApiKey: async () => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local API",
      accountId: "acct-approvals",
    }),
  });
  setup = await approvalSetup(t, provider.origin, "vault-approvals@example.com");
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
  await elsewhere?.close();
  await redirector?.close();
  await looper?.close();
});

describe("approval redemption", () => {
  it("runs exactly once when six identical redemptions race", async () => {
    const body = { to: "bob", race: true };
    const id = (await send({ body })).json().approvalRequestId as string;
    expect((await approve(id)).json().status).toBe("approved");
    const before = echoes();
    const answers = await Promise.all(Array.from({ length: 6 }, () => send({ body, approvalId: id })));
    const codes = answers.map((a) => (a.statusCode === 200 ? "ok" : a.json().code)).sort();
    expect(codes).toEqual([...Array(5).fill("APPROVAL_ALREADY_USED"), "ok"]);
    expect(echoes()).toBe(before + 1);
  });

  it("is bound to the query, the connection and the model", async () => {
    const body = { to: "carol", n: 1 };
    const id = (await send({ body })).json().approvalRequestId as string;
    await approve(id);
    const withQuery = await send({ body, approvalId: id, query: { extra: "1" } });
    expect(withQuery.statusCode).toBe(409);
    expect(withQuery.json()).toMatchObject({ code: "APPROVAL_MISMATCH", details: { fields: ["request"] } });
    const inUrl = await send({ body, approvalId: id, url: `${provider.origin}/v1/echo?extra=1` });
    expect(inUrl.json()).toMatchObject({ code: "APPROVAL_MISMATCH", details: { fields: ["request"] } });
    // The model is checked by the service itself (a key connection never reaches Model A).
    await expect(
      t.deps.approvals.redeem({ workspaceId: setup.owner.workspaceId, agentId: setup.agent.id }, id, {
        connectionId: setup.connectionId,
        model: "A",
        fingerprint: Buffer.alloc(32),
      }),
    ).rejects.toMatchObject({ code: "APPROVAL_MISMATCH", details: { fields: ["model", "request"] } });
    // None of the refused attempts used it up; the same JSON with its keys reordered is the same request.
    const before = echoes();
    expect((await send({ body: { n: 1, to: "carol" }, approvalId: id })).statusCode).toBe(200);
    expect(echoes()).toBe(before + 1);
  });

  it("expires: an approval older than its lifetime is refused with 410", async () => {
    const body = { to: "dave" };
    const id = (await send({ body })).json().approvalRequestId as string;
    await approve(id);
    clock.advance(31 * 60_000); // the default approval lifetime is 30 minutes
    try {
      const late = await send({ body, approvalId: id });
      expect(late.statusCode).toBe(410);
      expect(late.json()).toMatchObject({ code: "APPROVAL_EXPIRED", hint: expect.any(String) });
    } finally {
      clock.reset();
    }
  });

  it("commits the audit row before the answer leaves", async () => {
    const body = { to: "erin" };
    const id = (await send({ body })).json().approvalRequestId as string;
    await approve(id);
    const run = await send({ body, approvalId: id });
    expect(run.statusCode).toBe(200);
    // No flush: the row must already be there.
    const [row] = await t.deps.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.id, run.json().auditId));
    expect(row).toMatchObject({ action: "vault.executed", outcome: "success" });
  });
});

describe("who decides", () => {
  it("a member cannot decide the approvals of an agent someone else created; an admin can", async () => {
    const body = { to: "hank" };
    const id = (await send({ body })).json().approvalRequestId as string;
    const member = await memberWithRole(t, setup.owner, "vault-member@example.com", "member");
    const admin = await memberWithRole(t, setup.owner, "vault-admin@example.com", "admin");
    for (const decision of ["approve", "deny"]) {
      const refused = await t.app.inject({
        method: "POST",
        url: `/v1/approvals/${id}/${decision}`,
        headers: bearer(member),
      });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: "SCOPE_MISSING", details: { reason: "not_owner" } });
    }
    const still = await t.app.inject({
      method: "GET",
      url: `/v1/approvals/${id}`,
      headers: bearer(setup.owner.token),
    });
    expect(still.json().status).toBe("pending");
    const byAdmin = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${id}/approve`,
      headers: bearer(admin),
    });
    expect(byAdmin.json().status).toBe("approved");
  });
});

describe("redirects", () => {
  it("refuses a redirect to an origin the policy does not allowlist, before calling it", async () => {
    // Both hosts are reachable in development; only the redirector is in this agent's policy.
    const viaRedirector = await approvalSetup(t, redirector.origin, "vault-redirects@example.com");
    const payload = {
      model: "B",
      connectionId: viaRedirector.connectionId,
      method: "POST",
      url: `${redirector.origin}/v1/echo`,
      body: { to: "frank" },
    };
    const execute = (extra: object = {}) =>
      t.app.inject({
        method: "POST",
        url: "/v1/vault/execute",
        headers: bearer(viaRedirector.agent.token),
        payload: { ...payload, ...extra },
      });
    const id = (await execute()).json().approvalRequestId as string;
    await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${id}/approve`,
      headers: bearer(viaRedirector.owner.token),
    });
    const run = await execute({ approvalId: id });
    expect(redirector.requests.length).toBe(1);
    expect(run.statusCode).toBe(403);
    expect(run.json()).toMatchObject({ code: "SSRF_BLOCKED", hint: expect.any(String) });
    expect(elsewhere.requests.length).toBe(0);
  });

  it("refuses a redirect to a request that would need its own approval", async () => {
    // The approved POST /v1/echo answers 307 to POST /v1/echo?again=1, which needs approval too.
    const viaLooper = await approvalSetup(t, looper.origin, "vault-loop@example.com");
    const execute = (extra: object = {}) =>
      t.app.inject({
        method: "POST",
        url: "/v1/vault/execute",
        headers: bearer(viaLooper.agent.token),
        payload: {
          model: "B",
          connectionId: viaLooper.connectionId,
          method: "POST",
          url: `${looper.origin}/v1/echo`,
          body: { to: "gina" },
          ...extra,
        },
      });
    const id = (await execute()).json().approvalRequestId as string;
    await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${id}/approve`,
      headers: bearer(viaLooper.owner.token),
    });
    const run = await execute({ approvalId: id });
    expect(run.statusCode).toBe(403);
    expect(run.json()).toMatchObject({
      code: "SSRF_BLOCKED",
      error: expect.stringContaining("its own approval"),
    });
    expect(looper.requests.map((r) => r.url)).toEqual(["/v1/echo"]);
  });
});
