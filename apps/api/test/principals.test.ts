import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import {
  type CrossWorkspaceServers,
  openEventStream,
  type SeededIds,
  type SeededWorkspace,
  type SseFrame,
  seedWorkspace,
  startCrossWorkspaceServers,
} from "./helpers/cross-workspace.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

let servers: CrossWorkspaceServers;
let t: TestApp;
let owner: SignedInUser;
let agentToken: string;
let pat: string;
const ID = "0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f";

beforeAll(async () => {
  servers = await startCrossWorkspaceServers();
  t = await buildTestApp(servers.options);
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
  await servers?.close();
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

/**
 * ARCHITECTURE.md §6, invariant 3: every query is scoped by the workspace of the principal. A
 * member of workspace B who knows the ids of A's objects reaches none of them, through any route:
 * the walk covers every route with a path parameter, so a new route is covered (or must be
 * allow-listed below with its reason) before it ships.
 */
describe("workspace isolation over every route with a path parameter", () => {
  let a: SeededWorkspace;
  let b: SignedInUser;
  let bAgentToken: string;
  let bConnectionId: string;

  /** The first path parameter's route prefix → the kind of A's object it names. */
  const OBJECT_PARAMS: Record<string, keyof SeededIds> = {
    "/v1/members/:userId": "memberUserId",
    "/v1/invitations/:id": "invitationId",
    "/v1/agents/:id": "agentId",
    "/v1/tokens/:id": "patId",
    "/v1/audit/:id": "auditEventId",
    "/v1/connections/:id": "connectionId",
    "/v1/connections/device/:id": "deviceFlowId",
    "/v1/oauth-apps/:id": "oauthAppId",
    "/v1/policies/:id": "policyId",
    "/v1/approvals/:id": "approvalId",
    "/v1/permission-requests/:id": "permissionRequestId",
    "/v1/notification-channels/:id": "channelId",
  };

  /**
   * Routes with a path parameter that names no workspace object, with the reason. Anything here
   * is outside the walk: add a route only with a reason a reviewer can check.
   */
  const NOT_WORKSPACE_OBJECTS: Record<string, string> = {
    "POST /v1/oauth/:provider/start":
      "`:provider` is a catalog id, the same for every workspace; the flow starts in the caller's workspace",
    "GET /v1/oauth/:provider/callback":
      "public; `:provider` is a catalog id and the flow is bound by its signed state (oauth-connect.test.ts)",
    "GET /v1/action-links/:token":
      "public; the token is itself the capability for one approval (action-links.test.ts)",
    "POST /v1/action-links/:token":
      "public; the token is itself the capability for one approval (action-links.test.ts)",
    ...Object.fromEntries(
      ["GET", "POST", "PUT", "PATCH", "DELETE"].map((m) => [
        `${m} /v1/vault/llm/:provider/*`,
        "agent; `:provider` is a catalog id and the connection is found in the agent's own workspace",
      ]),
    ),
  };

  /** A request body that passes validation, so the answer can only come from the lookup. */
  const bodies = (ownConnectionId: string): Record<string, object> => ({
    "PATCH /v1/members/:userId": { role: "viewer" },
    "PATCH /v1/agents/:id": { name: "Hijacked" },
    "PATCH /v1/tokens/:id": { name: "hijacked" },
    "PATCH /v1/connections/:id": { label: "Hijacked" },
    "POST /v1/connections/:id/reconnect": { secret: "sk-hijacked-0123456789" },
    "PATCH /v1/oauth-apps/:id": { label: "Hijacked", clientSecret: "hijacked" },
    "PUT /v1/policies/:id": {
      version: 1,
      document: {
        version: 1,
        allowedModels: ["B"],
        defaultMode: "custom",
        defaultAction: "allow",
        allowlists: [{ origin: servers.upstream.origin, paths: ["/**"], methods: ["GET", "POST"] }],
      },
    },
    "POST /v1/approvals/:id/approve": { note: "yes" },
    "POST /v1/approvals/:id/deny": { note: "no" },
    // The caller's own connection: only the request's lookup can fail.
    "POST /v1/permission-requests/:id/approve": { connectionId: ownConnectionId, tier: "standard" },
    "POST /v1/permission-requests/:id/deny": { note: "no" },
    "PATCH /v1/notification-channels/:id": { label: "Hijacked", enabled: false },
  });

  const paramRoutes = () => t.app.routeTable.filter((r) => r.url.includes("/:"));
  const key = (r: { method: string; url: string }) => `${r.method} ${r.url}`;
  const prefixOf = (url: string) => /^.*?\/:[A-Za-z]+/.exec(url)?.[0] ?? url;

  beforeAll(async () => {
    a = await seedWorkspace(t, servers, "iso-a");
    b = await createUser(t.app, t.deps, "iso-b-owner@example.com", "Bo");
    bAgentToken = (await enrolledAgent(t.app, b.token, "B agent")).token;
    const conn = await t.app.inject({
      method: "POST",
      url: "/v1/connections/api-key",
      headers: bearer(b.token),
      payload: { provider: "generic-api-key", label: "B API", secret: "sk-b-0123456789" },
    });
    expect(conn.statusCode).toBe(201);
    bConnectionId = conn.json().id;
  });

  it("every route with a path parameter is either walked or allow-listed with a reason", () => {
    const unclassified = paramRoutes()
      .filter((r) => !(key(r) in NOT_WORKSPACE_OBJECTS))
      .filter((r) => r.principal === "public" || !(prefixOf(r.url) in OBJECT_PARAMS))
      .map(key);
    expect(unclassified, "add the route's object to OBJECT_PARAMS, or allow-list it").toEqual([]);
    // Nothing stale in the allow-list either.
    const keys = new Set(paramRoutes().map(key));
    expect(Object.keys(NOT_WORKSPACE_OBJECTS).filter((k) => !keys.has(k))).toEqual([]);
  });

  /** Public routes name no workspace: one with a path parameter must be allow-listed. */
  const walkedRoutes = () =>
    paramRoutes().filter((r) => r.principal !== "public" && prefixOf(r.url) in OBJECT_PARAMS);

  /** Calls `r` on workspace `ids`' object as the person and/or the agent given, as the route allows. */
  async function callOn(
    r: { method: string; url: string; principal: string },
    ids: SeededIds,
    person: string,
    agent: string,
    ownConnectionId: string,
  ) {
    const kind = OBJECT_PARAMS[prefixOf(r.url)] as keyof SeededIds;
    const url = r.url.replace(/:[A-Za-z]+/, ids[kind]);
    expect(url, `${key(r)} has a second path parameter: extend the walk`).not.toContain("/:");
    const payload = bodies(ownConnectionId)[key(r)];
    const answers: { request: string; status: number; code: unknown; body: string }[] = [];
    const callers = { human: [person], agent: [agent], "human+agent": [person, agent] }[r.principal] ?? [];
    expect(callers.length, `${key(r)}: principal ${r.principal}`).toBeGreaterThan(0);
    for (const token of callers) {
      const res = await t.app.inject({
        method: r.method as "GET",
        url,
        headers: bearer(token),
        ...(payload ? { payload } : {}),
      });
      const code = String(res.headers["content-type"]).includes("json") ? res.json().code : undefined;
      answers.push({
        request: `${r.method} ${url}${payload ? ` ${JSON.stringify(payload)}` : ""}${token === agent ? " (agent)" : ""}`,
        status: res.statusCode,
        code,
        body: res.body.slice(0, 300),
      });
    }
    return answers;
  }

  it("a member of another workspace gets 404 NOT_FOUND for A's objects on every route, and changes nothing", async () => {
    const walked = walkedRoutes();
    expect(walked.length).toBeGreaterThanOrEqual(36);
    expect(new Set(walked.map((r) => prefixOf(r.url)))).toEqual(new Set(Object.keys(OBJECT_PARAMS)));
    const leaks: string[] = [];
    for (const r of walked) {
      for (const answer of await callOn(r, a.ids, b.token, bAgentToken, bConnectionId)) {
        if (answer.status !== 404 || answer.code !== "NOT_FOUND")
          leaks.push(`${answer.request} → ${answer.status} ${answer.body}`);
      }
    }
    expect(leaks).toEqual([]);

    // Nothing B did reached A: every object is as it was.
    const get = async (url: string) => {
      const res = await t.app.inject({ method: "GET", url, headers: bearer(a.owner.token) });
      expect(res.statusCode, url).toBe(200);
      return res.json();
    };
    const { ids } = a;
    expect(await get(`/v1/approvals/${ids.approvalId}`)).toMatchObject({ status: "pending" });
    expect(await get(`/v1/agents/${ids.agentId}`)).toMatchObject({
      name: "Notifier agent",
      status: "active",
    });
    expect(
      (await t.app.inject({ method: "GET", url: "/v1/agent/me", headers: bearer(a.agent.token) })).statusCode,
    ).toBe(200);
    expect(await get(`/v1/policies/${ids.policyId}`)).toMatchObject({ version: 1, enabled: true });
    expect((await get(`/v1/policies/${ids.policyId}/versions`)).items).toHaveLength(1);
    expect(await get(`/v1/connections/${ids.connectionId}`)).toMatchObject({
      label: "Local API",
      status: "active",
    });
    expect((await get("/v1/permission-requests")).items).toContainEqual(
      expect.objectContaining({ id: ids.permissionRequestId, status: "pending" }),
    );
    expect((await get("/v1/tokens")).items).toContainEqual(
      expect.objectContaining({ id: ids.patId, name: "cli", revokedAt: null }),
    );
    expect((await get("/v1/invitations")).items).toContainEqual(
      expect.objectContaining({ id: ids.invitationId, status: "pending" }),
    );
    expect((await get("/v1/members")).items).toContainEqual(
      expect.objectContaining({ userId: ids.memberUserId, role: "member" }),
    );
    expect(await get(`/v1/notification-channels/${ids.channelId}`)).toMatchObject({
      label: "Ops hook",
      enabled: true,
      verified: false,
    });
    expect((await get("/v1/oauth-apps")).items).toContainEqual(
      expect.objectContaining({ id: ids.oauthAppId, label: "Our IdP", version: 1 }),
    );
    expect(await get(`/v1/connections/device/${ids.deviceFlowId}`)).toEqual({ status: "pending" });
    // No test message went to A's webhook, no upstream call was made for A's connection.
    expect(servers.upstream.requests).toEqual([]);
    // A's audit trail names no act of B's.
    const audit = (await get("/v1/audit?limit=200")).items as { actor: { id: string | null } }[];
    expect(audit.length).toBeGreaterThan(5);
    expect(audit.filter((e) => e.actor.id === b.userId)).toEqual([]);
  });

  it("a member of another workspace receives none of A's live events, and cannot replay them", async () => {
    const base = await t.app.listen({ host: "127.0.0.1", port: 0 });
    const inB = (f: SseFrame) => JSON.parse(f.data ?? "{}").workspaceId === b.workspaceId;
    const inA = (f: SseFrame) => JSON.parse(f.data ?? "{}").workspaceId === a.owner.workspaceId;
    const ownStream = await openEventStream(base, bearer(a.owner.token), (f) => f.length >= 3);
    const strangerStream = await openEventStream(base, bearer(b.token), (f) => f.some(inB));
    expect([ownStream.status, strangerStream.status]).toEqual([200, 200]);
    await new Promise((r) => setTimeout(r, 150));

    // Three events in A (approval.created, approval.decided, connection.updated), then one in B.
    const approvalId = await a.askApproval();
    const deny = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalId}/deny`,
      headers: bearer(a.owner.token),
    });
    expect(deny.statusCode).toBe(200);
    const removeConnection = async (token: string, label: string) => {
      const conn = await t.app.inject({
        method: "POST",
        url: "/v1/connections/api-key",
        headers: bearer(token),
        payload: { provider: "generic-api-key", label, secret: `sk-temporary-${label}` },
      });
      expect(conn.statusCode).toBe(201);
      const del = await t.app.inject({
        method: "DELETE",
        url: `/v1/connections/${conn.json().id}`,
        headers: bearer(token),
      });
      expect(del.statusCode).toBe(204);
      return conn.json().id as string;
    };
    await removeConnection(a.owner.token, "A temporary");
    const bConnection = await removeConnection(b.token, "B temporary");

    const own = await ownStream.finished;
    const stranger = await strangerStream.finished;
    expect(own.map((f) => f.event)).toEqual(["approval.created", "approval.decided", "connection.updated"]);
    expect(own.every(inA)).toBe(true);
    // B's stream saw B's event, which came after A's three: A's would have arrived first.
    expect(stranger.map((f) => [f.event, JSON.parse(f.data ?? "{}").id])).toEqual([
      ["connection.updated", bConnection],
    ]);

    // Last-Event-ID naming A's event: a reset, never A's later events.
    const replay = await openEventStream(
      base,
      { ...bearer(b.token), "last-event-id": own[0]?.id as string },
      (f) => f.length >= 1,
      1000,
    );
    const replayed = await replay.finished;
    expect(replayed.map((f) => f.event)).toEqual(["reset"]);
    expect(replayed.some(inA)).toBe(false);
  });

  it("A's ids in request bodies and list filters are answered as unknown ids, and list nothing", async () => {
    const bAgentId = (
      await t.app.inject({ method: "GET", url: "/v1/agents", headers: bearer(b.token) })
    ).json().items[0].id as string;
    const document = bodies(bConnectionId)["PUT /v1/policies/:id"] as { document: object };
    const { ids } = a;
    // [caller, method, url, body naming an object by id]: built for A's id, then for an id that never existed.
    const cases = (id: (own: string) => string): ["person" | "agent", "POST", string, object][] => [
      [
        "person",
        "POST",
        "/v1/policies",
        { ...document, agentId: id(ids.agentId), connectionId: bConnectionId },
      ],
      [
        "person",
        "POST",
        "/v1/policies",
        { ...document, agentId: bAgentId, connectionId: id(ids.connectionId) },
      ],
      [
        "person",
        "POST",
        "/v1/policies/simulate",
        {
          policyId: id(ids.policyId),
          request: { model: "B", method: "GET", url: `${servers.upstream.origin}/x` },
        },
      ],
      [
        "person",
        "POST",
        "/v1/connections/device/start",
        { provider: "test", oauthAppId: id(ids.oauthAppId) },
      ],
      ["person", "POST", "/v1/oauth/test/start", { oauthAppId: id(ids.oauthAppId) }],
      ["person", "POST", "/v1/oauth/test/start", { reconnectConnectionId: id(ids.connectionId) }],
      [
        "person",
        "POST",
        "/v1/notification-channels",
        { type: "telegram", label: "Bot", connectionId: id(ids.connectionId), config: { chatId: "12345" } },
      ],
      [
        "agent",
        "POST",
        "/v1/vault/execute",
        {
          model: "B",
          connectionId: id(ids.connectionId),
          method: "GET",
          url: `${servers.upstream.origin}/v1/items`,
        },
      ],
      [
        "agent",
        "POST",
        "/v1/permission-requests",
        {
          actionTemplateId: "generic-api-key-http.read",
          connectionId: id(ids.connectionId),
          reason: "Read items",
        },
      ],
    ];
    const answer = async ([who, method, url, payload]: ["person" | "agent", "POST", string, object]) => {
      const res = await t.app.inject({
        method,
        url,
        headers: bearer(who === "agent" ? bAgentToken : b.token),
        payload,
      });
      return { request: `${who} ${method} ${url}`, status: res.statusCode, code: res.json().code };
    };
    const withA = cases((own) => own);
    const withUnknown = cases(() => randomUUID());
    for (const [i, c] of withA.entries()) {
      const [forA, forUnknown] = [await answer(c), await answer(withUnknown[i] as (typeof withA)[number])];
      expect(forA.status, forA.request).toBeGreaterThanOrEqual(400);
      expect(forA).toEqual(forUnknown);
    }

    for (const filter of [
      `/v1/approvals?agentId=${ids.agentId}`,
      `/v1/policies?agentId=${ids.agentId}`,
      `/v1/policies?connectionId=${ids.connectionId}`,
      `/v1/audit?agentId=${ids.agentId}`,
      `/v1/permission-requests?agentId=${ids.agentId}`,
    ]) {
      const res = await t.app.inject({ method: "GET", url: filter, headers: bearer(b.token) });
      expect(res.statusCode, filter).toBe(200);
      expect(res.json().items, filter).toEqual([]);
    }
    // The agent's own lists: nothing of A's either.
    const mine = await t.app.inject({
      method: "GET",
      url: "/v1/agent/connections",
      headers: bearer(bAgentToken),
    });
    expect(mine.body).not.toContain(ids.connectionId);
  });

  // Last: it consumes A's objects. Proves the walk's requests are well-formed and name real
  // objects, so the 404s above come from the workspace scoping, not from validation or a typo.
  it("control: A's owner (and agent), with the same requests, reach every one of those objects", async () => {
    // The agent reads first (disabling it ends its tokens); deletes last, the objects others hang on last of all.
    const rank = (r: { method: string; url: string; principal: string }) =>
      r.principal === "human+agent"
        ? 0
        : r.method !== "DELETE"
          ? 1
          : r.url === "/v1/connections/:id" || r.url === "/v1/agents/:id"
            ? 3
            : 2;
    const walked = walkedRoutes().sort((x, y) => rank(x) - rank(y));
    // The deny after the approve: only an existing, already decided object answers 409 CONFLICT.
    const decidedAlready = ["POST /v1/approvals/:id/deny", "POST /v1/permission-requests/:id/deny"];
    const misses: string[] = [];
    for (const r of walked) {
      for (const answer of await callOn(r, a.ids, a.owner.token, a.agent.token, a.ids.connectionId)) {
        const ok = decidedAlready.includes(key(r))
          ? answer.status === 409 && answer.code === "CONFLICT"
          : answer.status >= 200 && answer.status < 300;
        if (!ok) misses.push(`${answer.request} → ${answer.status} ${answer.body}`);
      }
    }
    expect(misses).toEqual([]);
  });
});
