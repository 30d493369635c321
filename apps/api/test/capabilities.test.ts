import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { memberWithRole } from "./helpers/notifications.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

let t: TestApp;
let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
let owner: SignedInUser;
let stranger: SignedInUser;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;
let connectionId: string;

const req = (method: "GET" | "POST" | "PUT", url: string, token: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const execute = (method: string, path: string) =>
  req("POST", "/v1/vault/execute", agent.token, {
    model: "B",
    connectionId,
    method,
    url: `${upstream.origin}${path}`,
    ...(method === "POST" ? { body: { hello: "world" } } : {}),
  });

beforeAll(async () => {
  upstream = await startProviderUpstream();
  t = await buildTestApp({
    env: { VAULT_DEV_ALLOW_HOSTS: upstream.host },
    verifyApiKey: async () => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local API",
      accountId: "acct-local",
    }),
  });
  owner = await createUser(t.app, t.deps, "caps-owner@example.com", "Cora");
  stranger = await createUser(t.app, t.deps, "caps-stranger@example.com", "Sam");
  agent = await enrolledAgent(t.app, owner.token, "Caps agent");
  const conn = await req("POST", "/v1/connections/api-key", owner.token, {
    provider: "generic-api-key",
    label: "Local API",
    secret: "sk-local-0123456789",
    extra: { origin: upstream.origin },
  });
  expect(conn.statusCode).toBe(201);
  connectionId = conn.json().id;
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

describe("policy templates", () => {
  it("lists presets per service with tiers, actions and a valid preview", async () => {
    const all = await req("GET", "/v1/policy-templates", owner.token);
    expect(all.statusCode).toBe(200);
    const ids = all.json().items.map((i: { id: string }) => i.id);
    expect(ids).toEqual(expect.arrayContaining(["google-gmail", "slack-workspace", "github-repos"]));
    const gmail = await req("GET", "/v1/policy-templates?service=google-gmail", owner.token);
    const [tpl] = gmail.json().items;
    expect(tpl).toMatchObject({
      provider: "google",
      tiers: ["strict", "standard", "permissive"],
      models: ["A", "B"],
    });
    expect(tpl.actions.map((a: { id: string }) => a.id)).toContain("google-gmail.send");
    expect(tpl.preview.allowlists[0].origin).toBe("https://gmail.googleapis.com");
  });

  it("is a human route", async () => {
    const res = await req("GET", "/v1/policy-templates", agent.token);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
  });

  it("refuses a template that does not fit the connection, with a hint naming the right one", async () => {
    const res = await req("POST", "/v1/policies", owner.token, {
      agentId: agent.id,
      connectionId,
      templateId: "google-gmail",
      tier: "standard",
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: "VALIDATION_FAILED",
      hint: expect.stringContaining("generic-api-key-http"),
    });
  });
});

describe("capabilities and permission requests", () => {
  it("a strict preset lets the agent read, and capabilities say what it holds", async () => {
    const created = await req("POST", "/v1/policies", owner.token, {
      agentId: agent.id,
      connectionId,
      templateId: "generic-api-key-http",
      tier: "strict",
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ templateId: "generic-api-key-http:strict", version: 1 });
    expect((await req("GET", `/v1/agents/${agent.id}`, owner.token)).json().policyCount).toBe(1);
    expect((await execute("GET", "/v1/items")).json()).toMatchObject({ status: 200 });
    // Strict redacts PII in answers.
    expect((await execute("GET", "/v1/items")).json().body.items[0].owner).toBe("[REDACTED:email]");
    const denied = await execute("POST", "/v1/echo");
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe("METHOD_NOT_ALLOWED_BY_POLICY");

    const caps = await req("GET", "/v1/capabilities", agent.token);
    expect(caps.statusCode).toBe(200);
    const body = caps.json();
    expect(body.services.find((s: { id: string }) => s.id === "generic-api-key-http")?.actions).toHaveLength(
      3,
    );
    expect(body.granted).toEqual([
      {
        connectionId,
        service: "generic-api-key-http",
        actionTemplateIds: ["generic-api-key-http.read"],
        approvalRequired: [],
      },
    ]);
    expect(body.pendingRequests).toEqual([]);
  });

  it("capabilities are an agent route", async () => {
    const res = await req("GET", "/v1/capabilities", owner.token);
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe("PRINCIPAL_NOT_ALLOWED");
  });

  it("refuses an unknown action and asking for what is already held", async () => {
    const unknown = await req("POST", "/v1/permission-requests", agent.token, {
      actionTemplateId: "nope.fly",
      reason: "to fly",
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().hint).toContain("GET /v1/capabilities");
    const held = await req("POST", "/v1/permission-requests", agent.token, {
      actionTemplateId: "generic-api-key-http.read",
      connectionId,
      reason: "read more",
    });
    expect(held.statusCode).toBe(409);
    expect(held.json().details.reason).toBe("already_granted");
  });

  it("request → a person approves → the policy grants it → the agent's next call succeeds", async () => {
    const asked = await req("POST", "/v1/permission-requests", agent.token, {
      actionTemplateId: "generic-api-key-http.write",
      connectionId,
      reason: "I need to post the weekly summary",
    });
    expect(asked.statusCode).toBe(201);
    const pr = asked.json();
    expect(pr).toMatchObject({ status: "pending", agentName: "Caps agent", policyId: null });

    const dup = await req("POST", "/v1/permission-requests", agent.token, {
      actionTemplateId: "generic-api-key-http.write",
      connectionId,
      reason: "again",
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().details.reason).toBe("pending_duplicate");

    const caps = (await req("GET", "/v1/capabilities", agent.token)).json();
    expect(caps.pendingRequests).toEqual([
      expect.objectContaining({ id: pr.id, actionTemplateId: "generic-api-key-http.write" }),
    ]);

    const listed = await req("GET", "/v1/permission-requests?status=pending", owner.token);
    expect(listed.json().items.map((i: { id: string }) => i.id)).toEqual([pr.id]);
    expect((await req("GET", "/v1/permission-requests", stranger.token)).json().items).toEqual([]);
    const foreign = await req("POST", `/v1/permission-requests/${pr.id}/approve`, stranger.token, {
      connectionId,
    });
    expect(foreign.statusCode).toBe(404);
    const byAgent = await req("POST", `/v1/permission-requests/${pr.id}/approve`, agent.token, {
      connectionId,
    });
    expect(byAgent.json().code).toBe("PRINCIPAL_NOT_ALLOWED");

    const approved = await req("POST", `/v1/permission-requests/${pr.id}/approve`, owner.token, {
      connectionId,
      tier: "permissive",
      comment: "ok for summaries",
    });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({
      status: "approved",
      policyId: expect.any(String),
      decidedBy: owner.userId,
    });
    const again = await req("POST", `/v1/permission-requests/${pr.id}/deny`, owner.token, {});
    expect(again.statusCode).toBe(409);

    const policy = (await req("GET", `/v1/policies/${approved.json().policyId}`, owner.token)).json();
    expect(policy.version).toBe(2);
    // Approved at the permissive tier: writes go through without asking again.
    const post = await execute("POST", "/v1/echo");
    expect(post.statusCode).toBe(200);
    expect(post.json()).toMatchObject({ status: 200, body: { method: "POST", body: { hello: "world" } } });
    const after = (await req("GET", "/v1/capabilities", agent.token)).json();
    expect(after.granted[0].actionTemplateIds).toEqual([
      "generic-api-key-http.read",
      "generic-api-key-http.write",
    ]);
    expect(after.granted[0].approvalRequired).toEqual([]);
    expect(after.pendingRequests).toEqual([]);

    const mine = (await req("GET", "/v1/permission-requests/mine", agent.token)).json();
    expect(mine.items[0]).toMatchObject({ id: pr.id, status: "approved" });
    const audit = (await req("GET", "/v1/audit?action=permission_request.approved", owner.token)).json();
    expect(audit.items.length).toBeGreaterThan(0);
  });

  it("a denial tells the agent, and the rate limit holds at 10 an hour", async () => {
    const asked = await req("POST", "/v1/permission-requests", agent.token, {
      actionTemplateId: "generic-api-key-http.delete",
      reason: "cleanup",
    });
    expect(asked.statusCode).toBe(201);
    // A member who did not create the agent cannot answer its requests (API.md §2.4).
    const member = await memberWithRole(t, owner, "caps-member@example.com", "member");
    const byMember = await req("POST", `/v1/permission-requests/${asked.json().id}/deny`, member, {});
    expect(byMember.statusCode).toBe(403);
    expect(byMember.json()).toMatchObject({ code: "SCOPE_MISSING", details: { reason: "not_owner" } });
    const denied = await req("POST", `/v1/permission-requests/${asked.json().id}/deny`, owner.token, {
      note: "no deleting",
    });
    expect(denied.json()).toMatchObject({ status: "denied", comment: "no deleting" });
    const statuses = [];
    for (let i = 0; i < 10; i++) {
      const r = await req("POST", "/v1/permission-requests", agent.token, {
        actionTemplateId: "generic-api-key-http.delete",
        reason: `attempt ${i}`,
      });
      statuses.push(r.statusCode);
      if (r.statusCode === 201) {
        await req("POST", `/v1/permission-requests/${r.json().id}/deny`, owner.token, {});
      }
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
  });
});
