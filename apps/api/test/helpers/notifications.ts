import { createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { expect } from "vitest";
import { enrolledAgent } from "./agents.js";
import type { TestApp } from "./app.js";
import { bearer, createUser, exchange, lastMail, type SignedInUser } from "./flows.js";

/** A clock tests move forward by hand (no sleeps). */
export function manualClock() {
  let offsetMs = 0;
  return {
    now: () => new Date(Date.now() + offsetMs),
    advance(ms: number) {
      offsetMs += ms;
    },
    reset() {
      offsetMs = 0;
    },
  };
}

/**
 * What a receiver does with the shown-once secret (API.md §3.15): recompute
 * HMAC-SHA256(secret, timestamp + "." + rawBody), accept any `v1=` entry, reject stale timestamps.
 */
export function verifyWebhook(
  secret: string,
  headers: IncomingHttpHeaders,
  rawBody: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const timestamp = Number(headers["x-ah5-timestamp"]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(
    `v1=${createHmac("sha256", secret).update(`${timestamp}.${rawBody}`).digest("hex")}`,
  );
  return String(headers["x-ah5-signature"] ?? "")
    .split(",")
    .map((part) => Buffer.from(part.trim()))
    .some((part) => part.length === expected.length && timingSafeEqual(part, expected));
}

/** Owner + agent + api-key connection to a local upstream + a policy whose POST /v1/echo needs approval. */
export async function approvalSetup(t: TestApp, upstreamOrigin: string, email: string) {
  const owner = await createUser(t.app, t.deps, email, "Nora");
  const agent = await enrolledAgent(t.app, owner.token, "Notifier agent");
  const conn = await t.app.inject({
    method: "POST",
    url: "/v1/connections/api-key",
    headers: bearer(owner.token),
    payload: { provider: "generic-api-key", label: "Local API", secret: "sk-upstream-0123456789" },
  });
  expect(conn.statusCode).toBe(201);
  const connectionId = conn.json().id as string;
  const policy = await t.app.inject({
    method: "POST",
    url: "/v1/policies",
    headers: bearer(owner.token),
    payload: {
      agentId: agent.id,
      connectionId,
      document: {
        version: 1,
        allowedModels: ["B"],
        defaultMode: "custom",
        defaultAction: "deny",
        allowlists: [{ origin: upstreamOrigin, paths: ["/v1/**"], methods: ["GET", "POST"] }],
        requestRules: [
          { id: "r-send", match: { methods: ["POST"], path: "/v1/echo" }, action: "require_approval" },
        ],
      },
    },
  });
  expect(policy.statusCode).toBe(201);
  let n = 0;
  /** Asks for a new approval (a different body each time) and returns its id. */
  const askApproval = async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/vault/execute",
      headers: bearer(agent.token),
      payload: {
        model: "B",
        connectionId,
        method: "POST",
        url: `${upstreamOrigin}/v1/echo`,
        body: { n: ++n },
      },
    });
    expect(res.statusCode).toBe(202);
    return res.json().approvalRequestId as string;
  };
  return { owner, agent, connectionId, askApproval };
}

/** Invites `email` into the owner's workspace with `role`; returns a JWT acting there. */
export async function memberWithRole(t: TestApp, owner: SignedInUser, email: string, role: string) {
  const member = await createUser(t.app, t.deps, email);
  await t.app.inject({
    method: "POST",
    url: "/v1/invitations",
    headers: bearer(owner.token),
    payload: { email, role },
  });
  const token = new URL(lastMail(t.deps, email, "invitation").link as string).searchParams.get("token");
  await t.app.inject({
    method: "POST",
    url: "/v1/invitations/accept",
    headers: bearer(member.token),
    payload: { token },
  });
  return (await exchange(t.app, member.cookie, owner.workspaceId)).json().accessToken as string;
}
