import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.js";
import { EVENT_TYPES } from "../src/modules/events/events.service.js";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { TEST_DATABASE_URL } from "./helpers/database.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

let a: TestApp;
let b: TestApp;
let baseB: string;
let owner: SignedInUser;
let secondDb: Database;

const options = () => ({
  env: { VAULT_DEV_ALLOW_HOSTS: "127.0.0.1:9" },
  verifyApiKey: async (input: { secret: string }) => ({
    authType: "api_key" as const,
    service: "generic-api-key-http",
    providerLabel: "Local",
    accountId: createHash("sha256").update(input.secret).digest("hex").slice(0, 8),
  }),
});

beforeAll(async () => {
  a = await buildTestApp(options());
  secondDb = TEST_DATABASE_URL
    ? await (a.testDb as NonNullable<TestApp["testDb"]>).openAnother()
    : a.deps.database;
  b = await buildTestApp({
    ...options(),
    sharedDatabase: secondDb,
    env: {
      ...options().env,
      AUTH_SECRET: a.deps.config.AUTH_SECRET as string,
      ENCRYPTION_KEYS: a.deps.config.ENCRYPTION_KEYS as string,
    },
  });
  baseB = await b.app.listen({ host: "127.0.0.1", port: 0 });
  owner = await createUser(a.app, a.deps, "events@example.com", "Eve");
});
afterAll(async () => {
  await b?.app.close();
  await b?.deps.events.stop();
  await b?.deps.invalidation.stop();
  await a?.close();
});

/** Opens an SSE stream and collects frames until `count` events (or the timeout). */
async function collect(
  headers: Record<string, string>,
  count: number,
  act?: () => Promise<unknown>,
  query = "",
) {
  const controller = new AbortController();
  const res = await fetch(`${baseB}/v1/events${query}`, { headers, signal: controller.signal });
  const frames: { id?: string; event?: string; data?: string }[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let raw = "";
  let buffer = "";
  const timer = setTimeout(() => controller.abort(), 5000);
  const pump = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        const text = decoder.decode(value, { stream: true });
        raw += text;
        buffer += text;
        let i = buffer.indexOf("\n\n");
        while (i >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const f: { id?: string; event?: string; data?: string } = {};
          for (const line of block.split("\n")) {
            const [k, ...rest] = line.split(": ");
            if (k === "id" || k === "event" || k === "data") f[k] = rest.join(": ");
          }
          if (f.event) frames.push(f);
          if (frames.length >= count) return controller.abort();
          i = buffer.indexOf("\n\n");
        }
      }
    } catch {
      // aborted
    }
  })();
  await new Promise((r) => setTimeout(r, 150));
  await act?.();
  await pump;
  clearTimeout(timer);
  return { status: res.status, contentType: res.headers.get("content-type"), frames, raw };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * Ids only (API.md §3.14, ARCHITECTURE.md §6.1): no secret anywhere in the stream's raw text,
 * only `retry`/`id`/`event`/`data` lines and pings, and every event's data exactly
 * `{type, id, workspaceId, occurredAt}`.
 */
function expectIdsOnly(result: Awaited<ReturnType<typeof collect>>, secrets: string[]) {
  for (const secret of secrets) expect(result.raw).not.toContain(secret);
  for (const line of result.raw.split("\n").filter(Boolean)) {
    expect(line).toMatch(/^(retry: \d+|id: [0-9a-f-]{36}|event: [a-z_.]+|data: \{.*\}|: ping)$/);
  }
  for (const f of result.frames) {
    if (f.event === "reset") continue;
    const data = JSON.parse(f.data as string);
    expect(Object.keys(data).sort(), f.data).toEqual(["id", "occurredAt", "type", "workspaceId"]);
    expect(EVENT_TYPES).toContain(f.event);
    expect(data.type).toBe(f.event);
    expect(f.id).toMatch(UUID);
    expect(data.id).toMatch(UUID);
    expect(data.workspaceId).toBe(owner.workspaceId);
    expect(new Date(data.occurredAt).toISOString()).toBe(data.occurredAt);
  }
}

describe("live events over SSE", () => {
  let approvalId: string;
  it("a subscriber on instance B receives an approval created and decided through instance A", async () => {
    const agent = await enrolledAgent(a.app, owner.token, "Evented");
    const conn = await a.app.inject({
      method: "POST",
      url: "/v1/connections/api-key",
      headers: bearer(owner.token),
      payload: { provider: "generic-api-key", label: "L", secret: "sk-events" },
    });
    const document = {
      version: 1,
      allowedModels: ["B"],
      defaultMode: "custom",
      defaultAction: "require_approval",
      allowlists: [{ origin: "http://127.0.0.1:9", paths: ["/**"], methods: ["POST"] }],
    };
    await a.app.inject({
      method: "POST",
      url: "/v1/policies",
      headers: bearer(owner.token),
      payload: { agentId: agent.id, connectionId: conn.json().id, document },
    });
    const result = await collect(bearer(owner.token), 2, async () => {
      const ask = await a.app.inject({
        method: "POST",
        url: "/v1/vault/execute",
        headers: bearer(agent.token),
        payload: {
          model: "B",
          connectionId: conn.json().id,
          method: "POST",
          url: "http://127.0.0.1:9/send",
          body: { x: 1 },
        },
      });
      approvalId = ask.json().approvalRequestId;
      await a.app.inject({
        method: "POST",
        url: `/v1/approvals/${approvalId}/approve`,
        headers: bearer(owner.token),
      });
    });
    expect(result.status).toBe(200);
    expect(result.contentType).toContain("text/event-stream");
    expect(result.frames.map((f) => f.event)).toEqual(["approval.created", "approval.decided"]);
    const data = JSON.parse(result.frames[1]?.data as string);
    expect(data).toMatchObject({ type: "approval.decided", id: approvalId, workspaceId: owner.workspaceId });
    expect(Object.keys(data).sort()).toEqual(["id", "occurredAt", "type", "workspaceId"]);
    expectIdsOnly(result, ["sk-events"]);
  });

  it("replays what was missed after Last-Event-ID, and says reset for an unknown id", async () => {
    const rows = await a.deps.database.db.query.workspaceEvents.findMany({
      where: (e, { eq }) => eq(e.workspaceId, owner.workspaceId),
    });
    const ordered = rows.map((r) => r.id).sort();
    const resumed = await collect(
      { ...bearer(owner.token), "last-event-id": ordered[0] as string },
      ordered.length - 1,
    );
    expect(resumed.frames.map((f) => f.id)).toEqual(ordered.slice(1));
    expectIdsOnly(resumed, ["sk-events"]);
    const reset = await collect(
      { ...bearer(owner.token), "last-event-id": "0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f" },
      1,
    );
    expect(reset.frames[0]?.event).toBe("reset");
  });

  it("accepts the session cookie (EventSource) but not from a foreign origin; frames carry ids only", async () => {
    let goneId = "";
    const ok = await collect({ cookie: owner.cookie, origin: WEB_ORIGIN }, 1, async () => {
      await a.app.inject({
        method: "POST",
        url: `/v1/approvals/${approvalId}/deny`,
        headers: bearer(owner.token),
      });
      await a.app.inject({
        method: "PATCH",
        url: "/v1/workspaces/current",
        headers: bearer(owner.token),
        payload: { name: "Eve's place" },
      });
      const conn = await a.app.inject({
        method: "POST",
        url: "/v1/connections/api-key",
        headers: bearer(owner.token),
        payload: { provider: "generic-api-key", label: "Gone", secret: "sk-gone" },
      });
      goneId = conn.json().id;
      await a.app.inject({
        method: "DELETE",
        url: `/v1/connections/${conn.json().id}`,
        headers: bearer(owner.token),
      });
    });
    expect(ok.status).toBe(200);
    expect(ok.frames[0]?.event).toBe("connection.updated");
    expect(JSON.parse(ok.frames[0]?.data as string)).toMatchObject({
      type: "connection.updated",
      id: goneId,
    });
    expectIdsOnly(ok, ["sk-gone", "sk-events", "Gone"]);
    const foreign = await fetch(`${baseB}/v1/events`, {
      headers: { cookie: owner.cookie, origin: "https://evil.example" },
    });
    expect(foreign.status).toBe(403);
  });

  it("refuses agents and anonymous callers", async () => {
    const agent = await enrolledAgent(a.app, owner.token, "Nosy");
    expect((await fetch(`${baseB}/v1/events`, { headers: bearer(agent.token) })).status).toBe(403);
    expect((await fetch(`${baseB}/v1/events`)).status).toBe(401);
  });

  it("ends the stream when the token that opened it expires", async () => {
    const claims = JSON.parse(Buffer.from(owner.token.split(".")[1] as string, "base64url").toString());
    const { exp: _exp, iat: _iat, iss: _iss, aud: _aud, ...rest } = claims;
    const shortLived = await b.deps.keys.sign(rest, 2);
    const started = Date.now();
    const res = await fetch(`${baseB}/v1/events`, { headers: bearer(shortLived) });
    expect(res.status).toBe(200);
    const text = await res.text(); // resolves only when the server ends the stream
    expect(text).toContain("retry: 3000");
    const lived = Date.now() - started;
    expect(lived).toBeGreaterThan(500);
    expect(lived).toBeLessThan(4000);
  });
});
