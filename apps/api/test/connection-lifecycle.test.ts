import { defineOidcProvider } from "@agenthifive/oauth-connectors";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT,
  type OidcTestServer,
  startOidcServer,
} from "../../../packages/oauth-connectors/test/helpers/oidc-server.js";
import { connections as connectionsTable, pendingConnections } from "../src/db/schema/index.js";
import { AppError } from "../src/lib/errors.js";
import { enrolledAgent } from "./helpers/agents.js";
import { API_URL, buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { memberWithRole } from "./helpers/notifications.js";

/**
 * Keeping connections alive (API.md §3.2): RFC 8628 device connections polled by the API,
 * reconnect in place (OAuth and keys), and the provider probe that moves connection states.
 */
let server: OidcTestServer;
let t: TestApp;
let owner: SignedInUser;
let other: SignedInUser;
let skewMs = 0;
let deviceConnectionId: string;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;
const rejectedKeys = new Set<string>();

const MIN_POLL_MS = 250;
const oidc = (id: string, deviceFlow: boolean) =>
  defineOidcProvider({
    id,
    label: `Test ${id}`,
    issuer: server.issuer,
    defaultScopes: ["api:read"],
    allowedScopes: ["api:read", "api:write"],
    baseScopes: ["openid", "offline_access", "email", "profile"],
    apiOrigins: ["https://api.example.test"],
    capabilities: { deviceFlow, refreshTokenRotation: true },
  });

const req = (method: "GET" | "POST" | "DELETE", url: string, token: string, payload?: object) =>
  t.app.inject({ method, url, headers: bearer(token), ...(payload ? { payload } : {}) });

const advance = (seconds: number) => {
  skewMs += seconds * 1000;
};
const realWait = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  server = await startOidcServer({ minPollIntervalMs: MIN_POLL_MS });
  const client = { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret };
  t = await buildTestApp({
    env: {
      VAULT_DEV_ALLOW_HOSTS: new URL(server.issuer).host,
      API_PUBLIC_URL: "http://127.0.0.1",
      AGENT_TOKEN_AUDIENCE: `${API_URL}/v1/agents/token`,
    },
    clock: { now: () => new Date(Date.now() + skewMs) },
    extraProviders: [
      { provider: oidc("test", true), client },
      { provider: oidc("nodevice", false), client },
    ],
    verifyApiKey: async (input) => {
      if (rejectedKeys.has(input.secret)) {
        throw new AppError("API_KEY_REJECTED", "The provider rejected this key.", {
          hint: "Paste a valid key.",
        });
      }
      return {
        authType: "api_key",
        service: "generic-api-key-http",
        providerLabel: "Local",
        accountId: `acct-${input.secret.slice(0, 9)}`,
      };
    },
  });
  owner = await createUser(t.app, t.deps, "lifecycle-owner@example.com", "Lia");
  other = await createUser(t.app, t.deps, "lifecycle-other@example.com", "Oli");
  agent = await enrolledAgent(t.app, owner.token, "Reconnect agent");
});
afterAll(async () => {
  await t?.close();
  await server?.close();
});

async function startDevice() {
  const res = await req("POST", "/v1/connections/device/start", owner.token, {
    provider: "test",
    label: "Device one",
  });
  expect(res.statusCode).toBe(201);
  const body = res.json();
  expect(body).toMatchObject({
    userCode: expect.any(String),
    verificationUri: expect.any(String),
    interval: 5,
  });
  expect(JSON.stringify(body)).not.toMatch(/device_code|deviceCode/);
  return body as {
    deviceFlowId: string;
    userCode: string;
    verificationUriComplete: string;
    interval: number;
  };
}

/** The owner reconnects `connectionId`, consents at the provider, and the browser returns (302). */
async function reconnectAtProvider(connectionId: string) {
  const started = await req("POST", `/v1/connections/${connectionId}/reconnect`, owner.token, {});
  expect(started.statusCode).toBe(201);
  const callback = await server.authorize(new URL(started.json().authorizationUrl));
  const back = await t.app.inject({
    method: "GET",
    url: `${callback.pathname}${callback.search}`,
    headers: { cookie: owner.cookie },
  });
  expect(back.statusCode).toBe(302);
  return back;
}

const status = (id: string, token = owner.token) => req("GET", `/v1/connections/device/${id}`, token);

describe("device connections (RFC 8628)", () => {
  it("the API polls at the interval, slows down when told, and stores the tokens once approved", async () => {
    const flow = await startDevice();
    expect((await status(flow.deviceFlowId)).json()).toEqual({ status: "pending" });
    expect(await t.deps.deviceFlows.pollDue()).toBe(0); // not due before the interval
    advance(flow.interval + 1);
    expect(await t.deps.deviceFlows.pollDue()).toBe(1); // authorization_pending
    advance(flow.interval + 1);
    expect(await t.deps.deviceFlows.pollDue()).toBe(1); // too soon for the server: slow_down
    const [row] = await t.deps.database.db
      .select()
      .from(pendingConnections)
      .where(eq(pendingConnections.id, flow.deviceFlowId));
    expect(row?.pollIntervalS).toBe(flow.interval + 5);
    advance(flow.interval + 1);
    expect(await t.deps.deviceFlows.pollDue()).toBe(0); // the new, longer interval holds

    await server.approveDevice(flow.verificationUriComplete);
    await realWait(MIN_POLL_MS + 50);
    advance(5);
    expect(await t.deps.deviceFlows.pollDue()).toBe(1);
    const done = (await status(flow.deviceFlowId)).json();
    expect(done).toEqual({ status: "complete", connectionId: expect.any(String) });
    deviceConnectionId = done.connectionId;
    const conn = (await req("GET", `/v1/connections/${done.connectionId}`, owner.token)).json();
    expect(conn).toMatchObject({
      authType: "device",
      status: "active",
      label: "Device one",
      accountId: "user-1",
    });
    advance(60);
    expect(await t.deps.deviceFlows.pollDue()).toBe(0); // finished flows are never polled again
  });

  it("a flow finishing after its starter left the workspace stores nothing", async () => {
    const member = await memberWithRole(t, owner, "lifecycle-leaver@example.com", "member");
    const started = await req("POST", "/v1/connections/device/start", member, {
      provider: "test",
      label: "Leaver's device",
    });
    expect(started.statusCode).toBe(201);
    const flow = started.json() as { deviceFlowId: string; verificationUriComplete: string };
    const memberId = JSON.parse(Buffer.from(member.split(".")[1] ?? "", "base64url").toString()).sub;
    expect((await req("DELETE", `/v1/members/${memberId}`, owner.token)).statusCode).toBe(204);
    await server.approveDevice(flow.verificationUriComplete);
    await realWait(MIN_POLL_MS + 50);
    advance(60);
    await t.deps.deviceFlows.pollDue();
    const [row] = await t.deps.database.db
      .select()
      .from(pendingConnections)
      .where(eq(pendingConnections.id, flow.deviceFlowId));
    expect(row?.status).toBe("error");
    expect(row?.resultConnectionId).toBeNull();
    const labels = (await req("GET", "/v1/connections", owner.token))
      .json()
      .items.map((c: { label: string }) => c.label);
    expect(labels).not.toContain("Leaver's device");
  });

  it("only the person who started a flow can read it", async () => {
    const flow = await startDevice();
    expect((await status(flow.deviceFlowId, other.token)).statusCode).toBe(404);
  });

  it("reports a refusal on the provider's page as denied", async () => {
    const flow = await startDevice();
    await server.denyDevice(flow.verificationUriComplete);
    await realWait(MIN_POLL_MS + 50);
    advance(flow.interval + 60);
    await t.deps.deviceFlows.pollDue();
    expect((await status(flow.deviceFlowId)).json()).toEqual({ status: "denied" });
  });

  it("answers 410 DEVICE_CODE_EXPIRED once the code ran out", async () => {
    const flow = await startDevice();
    // The provider's code lifetime has passed (moved in the row: the JWT lives by the same clock).
    await t.deps.database.db
      .update(pendingConnections)
      .set({
        expiresAt: new Date(Date.now() + skewMs - 1000),
        nextPollAt: new Date(Date.now() + skewMs - 1000),
      })
      .where(eq(pendingConnections.id, flow.deviceFlowId));
    await t.deps.deviceFlows.pollDue();
    const res = await status(flow.deviceFlowId);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({ code: "DEVICE_CODE_EXPIRED", hint: expect.any(String) });
  });

  it("refuses providers without device sign-in, with a hint", async () => {
    const res = await req("POST", "/v1/connections/device/start", owner.token, { provider: "nodevice" });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: "PROVIDER_NOT_CONFIGURED",
      hint: expect.stringContaining("/start"),
    });
  });
});

describe("reconnect and the provider probe", () => {
  it("an OAuth reconnect keeps the connection id and its policies", async () => {
    const connectionId = deviceConnectionId;
    const policy = await req("POST", "/v1/policies", owner.token, {
      agentId: agent.id,
      connectionId,
      templateId: "test-api",
      tier: "standard",
    });
    expect(policy.statusCode).toBe(201);
    await t.deps.database.db
      .update(connectionsTable)
      .set({ status: "needs_reauth" })
      .where(eq(connectionsTable.id, connectionId));

    const back = await reconnectAtProvider(connectionId);
    expect(back.headers.location).toContain(`connectionId=${connectionId}`);
    const after = (await req("GET", `/v1/connections/${connectionId}`, owner.token)).json();
    expect(after.status).toBe("active");
    expect(
      (await req("GET", `/v1/policies?connectionId=${connectionId}`, owner.token)).json().items,
    ).toHaveLength(1);

    const probe = await req("POST", `/v1/connections/${connectionId}/test`, owner.token);
    expect(probe.json()).toMatchObject({ ok: true, status: "active", accountId: "user-1" });
  });

  it("an OAuth reconnect is for the same account, and a member's only for their own connection", async () => {
    const connectionId = deviceConnectionId;
    // A member who did not create the connection cannot re-point it, by either route.
    const member = await memberWithRole(t, owner, "lifecycle-member@example.com", "member");
    for (const [url, body] of [
      [`/v1/connections/${connectionId}/reconnect`, {}],
      ["/v1/oauth/test/start", { reconnectConnectionId: connectionId }],
    ] as const) {
      const refused = await req("POST", url, member, body);
      expect(refused.statusCode, url).toBe(403);
      expect(refused.json()).toMatchObject({ code: "SCOPE_MISSING", details: { reason: "not_owner" } });
    }
    // The owner signing in to the provider as another account is refused, and nothing changes.
    await t.deps.database.db
      .update(connectionsTable)
      .set({ providerAccountId: "someone-else" })
      .where(eq(connectionsTable.id, connectionId));
    try {
      const back = await reconnectAtProvider(connectionId);
      expect(back.headers.location).toContain("error=CONFLICT");
      const [row] = await t.deps.database.db
        .select({ account: connectionsTable.providerAccountId })
        .from(connectionsTable)
        .where(eq(connectionsTable.id, connectionId));
      expect(row?.account).toBe("someone-else");
    } finally {
      await t.deps.database.db
        .update(connectionsTable)
        .set({ providerAccountId: "user-1" })
        .where(eq(connectionsTable.id, connectionId));
    }
  });

  it("a rejected key moves the connection to needs_reauth; a new key brings it back", async () => {
    const created = await req("POST", "/v1/connections/api-key", owner.token, {
      provider: "generic-api-key",
      label: "Key conn",
      secret: "key-one-0123456789",
      extra: { origin: "https://api.example.com" },
    });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await req("POST", `/v1/connections/${id}/test`, owner.token)).json()).toMatchObject({ ok: true });

    rejectedKeys.add("key-one-0123456789");
    const failed = (await req("POST", `/v1/connections/${id}/test`, owner.token)).json();
    expect(failed).toMatchObject({ ok: false, status: "needs_reauth", error: { code: "API_KEY_REJECTED" } });
    expect((await req("GET", `/v1/connections/${id}`, owner.token)).json().status).toBe("needs_reauth");

    rejectedKeys.add("key-bad-0123456789");
    const bad = await req("POST", `/v1/connections/${id}/reconnect`, owner.token, {
      secret: "key-bad-0123456789",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().code).toBe("API_KEY_REJECTED");
    const good = await req("POST", `/v1/connections/${id}/reconnect`, owner.token, {
      secret: "key-two-0123456789",
    });
    expect(good.statusCode).toBe(200);
    expect(good.json()).toMatchObject({ id, status: "active" });
    expect(good.body).not.toContain("key-two");
    const audit = (await req("GET", `/v1/audit?action=connection.reconnected`, owner.token)).json();
    expect(audit.items.some((e: { target: { id: string } }) => e.target.id === id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain("key-two");
  });

  it("refuses to reconnect a revoked connection, or someone else's", async () => {
    const created = await req("POST", "/v1/connections/api-key", owner.token, {
      provider: "generic-api-key",
      label: "Doomed",
      secret: "key-three-0123456789",
      extra: { origin: "https://api.example.com" },
    });
    const id = created.json().id;
    expect(
      (await req("POST", `/v1/connections/${id}/reconnect`, other.token, { secret: "x-0123456789" }))
        .statusCode,
    ).toBe(404);
    await t.app.inject({ method: "DELETE", url: `/v1/connections/${id}`, headers: bearer(owner.token) });
    const res = await req("POST", `/v1/connections/${id}/reconnect`, owner.token, {
      secret: "key-four-0123456789",
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe("CONNECTION_REVOKED");
  });
});
