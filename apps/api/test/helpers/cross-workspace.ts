import { createHash } from "node:crypto";
import { defineOidcProvider } from "@agenthifive/oauth-connectors";
import { expect } from "vitest";
import {
  CLIENT,
  type OidcTestServer,
  startOidcServer,
} from "../../../../packages/oauth-connectors/test/helpers/oidc-server.js";
import type { BuildTestAppOptions, TestApp } from "./app.js";
import { bearer, type SignedInUser } from "./flows.js";
import { approvalSetup, memberWithRole } from "./notifications.js";
import { startUpstream, type Upstream } from "./upstream.js";

/**
 * Fixtures for the cross-workspace walk (ARCHITECTURE.md §6, invariant 3): a workspace holding one
 * real object of every kind a route's `:param` can name, and the local servers those need.
 */

export interface CrossWorkspaceServers {
  /** The approval policy's upstream and the webhook channel's receiver; records every request. */
  upstream: Upstream;
  /** A real OIDC provider with a device endpoint (device flows, workspace OAuth apps). */
  oidc: OidcTestServer;
  /** `buildTestApp` options that make these servers reachable and API keys verifiable offline. */
  options: BuildTestAppOptions;
  close(): Promise<void>;
}

export async function startCrossWorkspaceServers(): Promise<CrossWorkspaceServers> {
  const upstream = await startUpstream((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end("{}");
  });
  const oidc = await startOidcServer();
  const options: BuildTestAppOptions = {
    env: { VAULT_DEV_ALLOW_HOSTS: `${upstream.host},${new URL(oidc.issuer).host}` },
    // One account per key, so two keys are two connections (a repeated account is a conflict).
    verifyApiKey: async (input) => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local API",
      accountId: `acct-${createHash("sha256").update(input.secret).digest("hex").slice(0, 12)}`,
    }),
    extraProviders: [
      {
        provider: defineOidcProvider({
          id: "test",
          label: "Test OIDC",
          issuer: oidc.issuer,
          defaultScopes: ["api:read"],
          allowedScopes: ["api:read", "api:write"],
          baseScopes: ["openid", "offline_access", "email", "profile"],
          apiOrigins: ["https://api.example.test"],
          capabilities: { deviceFlow: true, refreshTokenRotation: true },
        }),
        client: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      },
    ],
  };
  return {
    upstream,
    oidc,
    options,
    async close() {
      await upstream.close();
      await oidc.close();
    },
  };
}

/** The ids of one seeded workspace, by the kind of object a path parameter names. */
export interface SeededIds {
  agentId: string;
  connectionId: string;
  policyId: string;
  approvalId: string;
  permissionRequestId: string;
  patId: string;
  invitationId: string;
  memberUserId: string;
  channelId: string;
  oauthAppId: string;
  deviceFlowId: string;
  auditEventId: string;
}

export interface SeededWorkspace {
  owner: SignedInUser;
  agent: { id: string; token: string };
  ids: SeededIds;
  askApproval(): Promise<string>;
}

async function created(t: TestApp, token: string, method: "POST", url: string, payload: object) {
  const res = await t.app.inject({ method, url, headers: bearer(token), payload });
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(201);
  return res.json();
}

/**
 * A workspace with an enrolled agent, an API-key connection, a policy, a pending approval, a
 * pending permission request, a PAT, a pending invitation, a second member, a webhook channel,
 * an OAuth app, a pending device flow and audit events.
 */
export async function seedWorkspace(
  t: TestApp,
  servers: CrossWorkspaceServers,
  prefix: string,
): Promise<SeededWorkspace> {
  const setup = await approvalSetup(t, servers.upstream.origin, `${prefix}-owner@example.com`);
  const { owner, agent, connectionId } = setup;
  const get = async (url: string, token = owner.token) => {
    const res = await t.app.inject({ method: "GET", url, headers: bearer(token) });
    expect(res.statusCode, `GET ${url}: ${res.body}`).toBe(200);
    return res.json();
  };

  const policyId = (await get(`/v1/policies?agentId=${agent.id}`)).items[0].id as string;
  const approvalId = await setup.askApproval();
  const permissionRequestId = (
    await created(t, agent.token, "POST", "/v1/permission-requests", {
      actionTemplateId: "generic-api-key-http.delete",
      reason: "Clean up old items",
    })
  ).id as string;
  const patId = (
    await created(t, owner.token, "POST", "/v1/tokens", {
      name: "cli",
      scopes: ["workspace:read"],
      expiresInDays: 1,
    })
  ).pat.id as string;
  await memberWithRole(t, owner, `${prefix}-member@example.com`, "member");
  const members = (await get("/v1/members")).items as { userId: string; email: string }[];
  const memberUserId = members.find((m) => m.email === `${prefix}-member@example.com`)?.userId as string;
  const invitationId = (
    await created(t, owner.token, "POST", "/v1/invitations", {
      email: `${prefix}-invitee@example.com`,
      role: "member",
    })
  ).id as string;
  const channelId = (
    await created(t, owner.token, "POST", "/v1/notification-channels", {
      type: "webhook",
      label: "Ops hook",
      config: { url: `${servers.upstream.origin}/hook/${prefix}` },
    })
  ).channel.id as string;
  // The device flow first: once the workspace has its own app for the provider, that app is used.
  const deviceFlowId = (
    await created(t, owner.token, "POST", "/v1/connections/device/start", {
      provider: "test",
      label: "Device",
    })
  ).deviceFlowId as string;
  const oauthAppId = (
    await created(t, owner.token, "POST", "/v1/oauth-apps", {
      provider: "test",
      label: "Our IdP",
      clientId: `${prefix}-client`,
      clientSecret: "byo-secret",
    })
  ).id as string;
  const auditEventId = (await get("/v1/audit?limit=1")).items[0].id as string;

  const ids: SeededIds = {
    agentId: agent.id,
    connectionId,
    policyId,
    approvalId,
    permissionRequestId,
    patId,
    invitationId,
    memberUserId,
    channelId,
    oauthAppId,
    deviceFlowId,
    auditEventId,
  };
  for (const [kind, id] of Object.entries(ids)) expect(id, kind).toMatch(/^[0-9a-f-]{36}$/);
  return { owner, agent: { id: agent.id, token: agent.token }, ids, askApproval: setup.askApproval };
}

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
}

/**
 * Opens `GET /v1/events` on a listening app and collects event frames until `done(frames)` holds
 * or `timeoutMs` pass; `finished` resolves then. Resolves once the response headers arrived.
 */
export async function openEventStream(
  base: string,
  headers: Record<string, string>,
  done: (frames: SseFrame[]) => boolean,
  timeoutMs = 5000,
) {
  const controller = new AbortController();
  const res = await fetch(`${base}/v1/events`, { headers, signal: controller.signal });
  const frames: SseFrame[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const pump = async () => {
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += decoder.decode(value, { stream: true });
        let i = buffer.indexOf("\n\n");
        while (i >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const f: SseFrame = {};
          for (const line of block.split("\n")) {
            const [k, ...rest] = line.split(": ");
            if (k === "id" || k === "event" || k === "data") f[k] = rest.join(": ");
          }
          if (f.event) frames.push(f);
          if (done(frames)) return controller.abort();
          i = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted
    } finally {
      clearTimeout(timer);
    }
  };
  return { status: res.status, frames, finished: pump().then(() => frames) };
}
