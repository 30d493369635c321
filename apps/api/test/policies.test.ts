import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

let t: TestApp;
let owner: SignedInUser;
let agentId: string;
let connectionId: string;

const doc = (extra: object = {}) => ({
  version: 1,
  allowedModels: ["B"],
  defaultMode: "read_only",
  allowlists: [{ origin: "https://api.example.com", paths: ["/v1/**"], methods: ["GET", "POST"] }],
  requestRules: [
    { id: "r-post", match: { methods: ["POST"], path: "/v1/send" }, action: "require_approval" },
  ],
  ...extra,
});

beforeAll(async () => {
  t = await buildTestApp({
    verifyApiKey: async () => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Example",
      accountId: "acct",
    }),
  });
  owner = await createUser(t.app, t.deps, "policies@example.com", "Pol");
  agentId = (await createAgent(t.app, owner.token, "Policy agent")).id;
  connectionId = (
    await t.app.inject({
      method: "POST",
      url: "/v1/connections/api-key",
      headers: bearer(owner.token),
      payload: { provider: "generic-api-key", secret: "sk-x" },
    })
  ).json().id;
});
afterAll(async () => {
  await t?.close();
});

const create = (document: object) =>
  t.app.inject({
    method: "POST",
    url: "/v1/policies",
    headers: bearer(owner.token),
    payload: { agentId, connectionId, document },
  });

describe("policies", () => {
  let id: string;
  it("validates documents with helpful issues", async () => {
    const res = await create(
      doc({ requestRules: [{ id: "x", match: { path: "no-slash" }, action: "allow" }] }),
    );
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("VALIDATION_FAILED");
    expect(JSON.stringify(res.json().details.issues)).toContain("path");
    const badZone = await create(
      doc({ timeWindows: [{ days: ["mon"], start: "09:00", end: "17:00", timezone: "Mars/Olympus" }] }),
    );
    expect(badZone.statusCode).toBe(400);
  });

  it("creates one policy per agent and connection, with an ETag", async () => {
    const res = await create(doc());
    expect(res.statusCode).toBe(201);
    expect(res.headers.etag).toBe('"v1"');
    id = res.json().id;
    const again = await create(doc());
    expect(again.json()).toMatchObject({ code: "CONFLICT", details: { reason: "policy_exists" } });
  });

  it("replaces with optimistic concurrency and keeps every version", async () => {
    const noVersion = await t.app.inject({
      method: "PUT",
      url: `/v1/policies/${id}`,
      headers: bearer(owner.token),
      payload: { document: doc() },
    });
    expect(noVersion.json().code).toBe("VALIDATION_FAILED");
    const ok = await t.app.inject({
      method: "PUT",
      url: `/v1/policies/${id}`,
      headers: { ...bearer(owner.token), "if-match": '"v1"' },
      payload: { document: doc({ defaultMode: "read_write" }) },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().version).toBe(2);
    const stale = await t.app.inject({
      method: "PUT",
      url: `/v1/policies/${id}`,
      headers: bearer(owner.token),
      payload: { document: doc(), version: 1 },
    });
    expect(stale.statusCode).toBe(412);
    expect(stale.json()).toMatchObject({ code: "VERSION_MISMATCH", details: { currentVersion: 2 } });
    const versions = await t.app.inject({
      method: "GET",
      url: `/v1/policies/${id}/versions`,
      headers: bearer(owner.token),
    });
    expect(versions.json().items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
  });

  it("simulates a request without calling anyone", async () => {
    const sim = await t.app.inject({
      method: "POST",
      url: "/v1/policies/simulate",
      headers: bearer(owner.token),
      payload: {
        policyId: id,
        request: { model: "B", method: "POST", url: "https://api.example.com/v1/send" },
      },
    });
    expect(sim.json()).toMatchObject({ decision: "require_approval", ruleId: "r-post" });
    const unsaved = await t.app.inject({
      method: "POST",
      url: "/v1/policies/simulate",
      headers: bearer(owner.token),
      payload: {
        policy: doc({ responseRules: [{ id: "pii", transform: { redactPii: { types: ["email"] } } }] }),
        request: { model: "B", method: "GET", url: "https://api.example.com/v1/me" },
        responseSample: { body: { email: "ann@example.com" } },
      },
    });
    expect(unsaved.json()).toMatchObject({ decision: "allow", filteredBody: { email: "[REDACTED:email]" } });
    const denied = await t.app.inject({
      method: "POST",
      url: "/v1/policies/simulate",
      headers: bearer(owner.token),
      payload: { policyId: id, request: { model: "B", method: "GET", url: "https://evil.example/v1" } },
    });
    expect(denied.json()).toMatchObject({
      decision: "deny",
      code: "HOST_NOT_ALLOWLISTED",
      hint: expect.any(String),
    });
    // A stored policy is simulated against its own connection: an API key is never vended (Model A),
    // while a draft is tried as if bound to an OAuth connection.
    const modelA = { model: "A" };
    const documentA = doc({ allowedModels: ["A", "B"], defaultMode: "custom", defaultAction: "allow" });
    const secondAgent = (await createAgent(t.app, owner.token, "Model A agent")).id;
    const storedA = await t.app.inject({
      method: "POST",
      url: "/v1/policies",
      headers: bearer(owner.token),
      payload: { agentId: secondAgent, connectionId, document: documentA },
    });
    expect(storedA.statusCode).toBe(201);
    const simStoredA = await t.app.inject({
      method: "POST",
      url: "/v1/policies/simulate",
      headers: bearer(owner.token),
      payload: { policyId: storedA.json().id, request: modelA },
    });
    expect(simStoredA.json()).toMatchObject({ decision: "deny", code: "MODEL_NOT_ALLOWED" });
    const draftA = await t.app.inject({
      method: "POST",
      url: "/v1/policies/simulate",
      headers: bearer(owner.token),
      payload: { policy: documentA, request: modelA },
    });
    expect(draftA.json()).toMatchObject({ decision: "allow" });
  });

  it("is invisible to another workspace and refused to an agent", async () => {
    const other = await createUser(t.app, t.deps, "policies-other@example.com");
    expect(
      (await t.app.inject({ method: "GET", url: `/v1/policies/${id}`, headers: bearer(other.token) }))
        .statusCode,
    ).toBe(404);
    const crossBind = await t.app.inject({
      method: "POST",
      url: "/v1/policies",
      headers: bearer(other.token),
      payload: { agentId, connectionId, document: doc() },
    });
    expect(crossBind.statusCode).toBe(404);

    // A real agent token of this very workspace: authenticated, but the wrong kind of principal.
    const agent = await enrolledAgent(t.app, owner.token, "Policy writer");
    const byAgent = [
      {
        method: "POST" as const,
        url: "/v1/policies",
        payload: { agentId: agent.id, connectionId, document: doc() },
      },
      { method: "PUT" as const, url: `/v1/policies/${id}`, payload: { document: doc(), version: 2 } },
      { method: "GET" as const, url: `/v1/policies/${id}` },
      { method: "GET" as const, url: `/v1/policies?agentId=${agent.id}` },
    ];
    for (const r of byAgent) {
      const res = await t.app.inject({ ...r, headers: bearer(agent.token) });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json()).toMatchObject({ code: "PRINCIPAL_NOT_ALLOWED", hint: expect.any(String) });
    }
    // Nothing was written: the policy is still at version 2 and the agent has none of its own.
    const after = await t.app.inject({
      method: "GET",
      url: `/v1/policies/${id}`,
      headers: bearer(owner.token),
    });
    expect(after.json().version).toBe(2);
    const own = await t.app.inject({
      method: "GET",
      url: `/v1/policies?agentId=${agent.id}`,
      headers: bearer(owner.token),
    });
    expect(own.json().items).toEqual([]);
  });

  it("deletes with If-Match", async () => {
    const stale = await t.app.inject({
      method: "DELETE",
      url: `/v1/policies/${id}`,
      headers: { ...bearer(owner.token), "if-match": '"v1"' },
    });
    expect(stale.statusCode).toBe(412);
    expect(
      (
        await t.app.inject({
          method: "DELETE",
          url: `/v1/policies/${id}`,
          headers: { ...bearer(owner.token), "if-match": '"v2"' },
        })
      ).statusCode,
    ).toBe(204);
  });
});
