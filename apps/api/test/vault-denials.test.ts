import { POLICY_DECISION_CODES } from "@agenthifive/contracts";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents, connections } from "../src/db/schema/index.js";
import { newId } from "../src/lib/ids.js";
import { connectionAad } from "../src/modules/connections/index.js";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

/**
 * Every denial code of POLICY.md, through the real route: the status, the code, and a hint an
 * agent can act on. One fresh connection and policy per case, so counters never leak between them.
 */
let t: TestApp;
let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
let owner: SignedInUser;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;
let n = 0;

const base = (origin: string) => ({
  version: 1,
  allowedModels: ["B"],
  defaultMode: "custom",
  defaultAction: "allow",
  allowlists: [{ origin, paths: ["/v1/**"], methods: ["GET", "POST"] }],
});

async function keyConnection(document: object) {
  n += 1;
  const conn = await t.app.inject({
    method: "POST",
    url: "/v1/connections/api-key",
    headers: bearer(owner.token),
    payload: {
      provider: "generic-api-key",
      label: `Case ${n}`,
      secret: `sk-case-${n}-0123456789`,
      extra: { origin: upstream.origin },
    },
  });
  const id = conn.json().id as string;
  await bind(id, document);
  return id;
}

/** An OAuth connection with a live token, written directly (no provider needed for a denial). */
async function oauthConnection(document: object) {
  const id = newId();
  const now = new Date();
  await t.deps.database.db.insert(connections).values({
    id,
    workspaceId: owner.workspaceId,
    provider: "google",
    service: "google-gmail",
    authType: "oauth",
    label: `OAuth ${id.slice(-6)}`,
    providerAccountId: `acct-${id}`,
    scopes: ["https://www.googleapis.com/auth/gmail.readonly"],
    status: "active",
    credentialEnvelope: t.deps.encryptor.encryptJson(
      { kind: "oauth", accessToken: "at-test", refreshToken: "rt-test" },
      connectionAad(id, owner.workspaceId),
    ),
    accessExpiresAt: new Date(now.getTime() + 3600_000),
    metadata: {},
    createdBy: owner.userId,
    createdAt: now,
    updatedAt: now,
  });
  await bind(id, document);
  return id;
}

async function bind(connectionId: string, document: object) {
  const res = await t.app.inject({
    method: "POST",
    url: "/v1/policies",
    headers: bearer(owner.token),
    payload: { agentId: agent.id, connectionId, document },
  });
  expect(res.statusCode, res.body).toBe(201);
}

const execute = (payload: object) =>
  t.app.inject({ method: "POST", url: "/v1/vault/execute", headers: bearer(agent.token), payload });

const hhmm = (d: Date) => d.toISOString().slice(11, 16);

beforeAll(async () => {
  upstream = await startProviderUpstream();
  t = await buildTestApp({
    env: { VAULT_DEV_ALLOW_HOSTS: upstream.host },
    verifyApiKey: async (input) => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local",
      accountId: `acct-${input.secret}`,
    }),
  });
  owner = await createUser(t.app, t.deps, "denials@example.com", "Dee");
  agent = await enrolledAgent(t.app, owner.token, "Denied");
});
afterAll(async () => {
  await t?.close();
  await upstream?.close();
});

type Case = { code: string; status: number; run: () => Promise<Awaited<ReturnType<typeof execute>>> };

const cases: Case[] = [
  {
    code: "MODEL_NOT_ALLOWED",
    status: 403,
    run: async () => execute({ model: "A", connectionId: await keyConnection(base(upstream.origin)) }),
  },
  {
    code: "SCOPE_NOT_GRANTED",
    status: 403,
    run: async () =>
      execute({
        model: "A",
        connectionId: await oauthConnection({
          version: 1,
          allowedModels: ["A"],
          modelA: { maxTtlSeconds: 300, scopes: ["https://www.googleapis.com/auth/gmail.readonly"] },
        }),
        scopes: ["https://www.googleapis.com/auth/gmail.send"],
      }),
  },
  {
    code: "INVALID_URL",
    status: 400,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection(base(upstream.origin)),
        method: "GET",
        url: `${upstream.origin}/v1/../admin`,
      }),
  },
  {
    code: "INVALID_REQUEST",
    status: 400,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection(base(upstream.origin)),
        method: "GET",
        url: `${upstream.origin}/v1/items?a=1`,
        query: { a: "2" },
      }),
  },
  {
    code: "SSRF_BLOCKED",
    status: 403,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection({
          ...base(upstream.origin),
          allowlists: [{ origin: "https://169.254.169.254", paths: ["/**"], methods: ["GET"] }],
        }),
        method: "GET",
        url: "https://169.254.169.254/latest/meta-data/",
      }),
  },
  {
    code: "HOST_NOT_ALLOWLISTED",
    status: 403,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection(base(upstream.origin)),
        method: "GET",
        url: "https://example.com/v1/items",
      }),
  },
  {
    code: "PATH_NOT_ALLOWLISTED",
    status: 403,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection(base(upstream.origin)),
        method: "GET",
        url: `${upstream.origin}/v2/items`,
      }),
  },
  {
    code: "METHOD_NOT_ALLOWED_BY_POLICY",
    status: 403,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection(base(upstream.origin)),
        method: "DELETE",
        url: `${upstream.origin}/v1/items`,
      }),
  },
  {
    code: "PAYLOAD_TOO_LARGE",
    status: 413,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection({ ...base(upstream.origin), limits: { maxRequestBytes: 16 } }),
        method: "POST",
        url: `${upstream.origin}/v1/echo`,
        body: { text: "far more than sixteen bytes" },
      }),
  },
  {
    code: "OUTSIDE_TIME_WINDOW",
    status: 403,
    run: async () => {
      const now = Date.now();
      const window = {
        days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        start: hhmm(new Date(now + 2 * 3600_000)),
        end: hhmm(new Date(now + 3 * 3600_000)),
        timezone: "UTC",
      };
      return execute({
        model: "B",
        connectionId: await keyConnection({ ...base(upstream.origin), timeWindows: [window] }),
        method: "GET",
        url: `${upstream.origin}/v1/items`,
      });
    },
  },
  {
    code: "POLICY_DENIED",
    status: 403,
    run: async () =>
      execute({
        model: "B",
        connectionId: await keyConnection({
          ...base(upstream.origin),
          requestRules: [
            { id: "no-items", match: { path: "/v1/items" }, action: "deny", hint: "Items are off limits." },
          ],
        }),
        method: "GET",
        url: `${upstream.origin}/v1/items`,
      }),
  },
  {
    code: "RATE_LIMITED",
    status: 429,
    run: async () => {
      const connectionId = await keyConnection({
        ...base(upstream.origin),
        limits: { rateLimit: { requests: 1, windowSeconds: 60 } },
      });
      const call = () =>
        execute({ model: "B", connectionId, method: "GET", url: `${upstream.origin}/v1/items` });
      expect((await call()).statusCode).toBe(200);
      return call();
    },
  },
  {
    code: "BUDGET_EXCEEDED",
    status: 429,
    run: async () => {
      const connectionId = await keyConnection({
        ...base(upstream.origin),
        limits: { budget: { requestsPerDay: 1 } },
      });
      const call = () =>
        execute({ model: "B", connectionId, method: "GET", url: `${upstream.origin}/v1/items` });
      expect((await call()).statusCode).toBe(200);
      return call();
    },
  },
];

describe("every denial code, through the route, with a hint", () => {
  it("covers every code the engine can deny with", () => {
    const denials = POLICY_DECISION_CODES.filter((c) => c !== "APPROVAL_REQUIRED");
    expect(cases.map((c) => c.code).sort()).toEqual([...denials].sort());
  });

  for (const c of cases) {
    it(c.code, async () => {
      const res = await c.run();
      expect(res.statusCode, res.body).toBe(c.status);
      const body = res.json();
      expect(body.code).toBe(c.code);
      expect(typeof body.hint === "string" && body.hint.length > 5, `hint for ${c.code}`).toBe(true);
      expect(body.details?.auditId).toEqual(expect.any(String));
    });
  }
});

describe("security invariants through the route", () => {
  /** The audit rows written for one connection, oldest first. */
  const auditFor = async (connectionId: string) => {
    await t.deps.auditWriter.flush();
    return t.deps.database.db.query.auditEvents.findMany({
      where: (e, { eq }) => eq(e.connectionId, connectionId),
      orderBy: (e, { asc }) => asc(e.ingestNo),
    });
  };

  it("a method-override header is refused before the provider is called (it would bypass rules and approvals)", async () => {
    const connectionId = await keyConnection({
      ...base(upstream.origin),
      requestRules: [{ id: "no-delete", match: { methods: ["DELETE"] }, action: "deny" }],
    });
    const seen = upstream.seen.length;
    const res = await execute({
      model: "B",
      connectionId,
      method: "POST",
      url: `${upstream.origin}/v1/echo`,
      headers: { "X-HTTP-Method-Override": "DELETE" },
      body: {},
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({
      code: "INVALID_REQUEST",
      hint: expect.stringContaining("real method"),
    });
    expect(upstream.seen.length).toBe(seen);
    const rows = await auditFor(connectionId);
    expect(rows.map((r) => [r.action, r.code])).toContainEqual(["vault.denied", "INVALID_REQUEST"]);
  });

  it("Model A on an API-key connection is MODEL_NOT_ALLOWED even when the policy allows A, and the key never shows", async () => {
    const connectionId = await keyConnection({
      ...base(upstream.origin),
      allowedModels: ["A", "B"],
      modelA: { maxTtlSeconds: 300 },
    });
    const secret = `sk-case-${n}-0123456789`;
    const seen = upstream.seen.length;
    const res = await execute({ model: "A", connectionId });
    expect(res.statusCode, res.body).toBe(403);
    const body = res.json();
    expect(body.code).toBe("MODEL_NOT_ALLOWED");
    expect(typeof body.hint === "string" && body.hint.length > 5).toBe(true);
    expect(body.accessToken).toBeUndefined();
    expect(res.body).not.toContain(secret);
    expect(res.body).not.toContain("sk-case-");
    expect(upstream.seen.length).toBe(seen);
    const rows = await auditFor(connectionId);
    expect(rows.map((r) => [r.action, r.code])).toContainEqual(["vault.denied", "MODEL_NOT_ALLOWED"]);
    expect(JSON.stringify(rows)).not.toContain(secret);
    // The same policy still serves Model B on that connection: the refusal is about A, not the binding.
    const viaB = await execute({
      model: "B",
      connectionId,
      method: "GET",
      url: `${upstream.origin}/v1/items`,
    });
    expect(viaB.statusCode, viaB.body).toBe(200);
    expect(viaB.body).not.toContain(secret);
  });

  /**
   * A stored envelope that does not open (invariant 7) must stop the request: no provider call,
   * an error envelope with a code, nothing of any credential in the answer.
   */
  const undecryptable: { name: string; spoil: (connectionId: string, donorId: string) => Promise<void> }[] = [
    {
      name: "another connection's envelope (wrong associated data)",
      spoil: async (connectionId, donorId) => {
        const [donor] = await t.deps.database.db
          .select({ envelope: connections.credentialEnvelope })
          .from(connections)
          .where(eq(connections.id, donorId));
        await t.deps.database.db
          .update(connections)
          .set({ credentialEnvelope: donor?.envelope })
          .where(eq(connections.id, connectionId));
      },
    },
    {
      name: "one flipped bit of the authentication tag",
      spoil: async (connectionId) => {
        const [row] = await t.deps.database.db
          .select({ envelope: connections.credentialEnvelope })
          .from(connections)
          .where(eq(connections.id, connectionId));
        if (!row?.envelope) throw new Error("no envelope");
        const tag = Buffer.from(row.envelope.tag, "base64url");
        tag[0] = (tag[0] ?? 0) ^ 0x01;
        await t.deps.database.db
          .update(connections)
          .set({ credentialEnvelope: { ...row.envelope, tag: tag.toString("base64url") } })
          .where(eq(connections.id, connectionId));
      },
    },
  ];

  for (const c of undecryptable) {
    it(`an envelope that does not decrypt fails closed: ${c.name}`, async () => {
      const donorId = await keyConnection(base(upstream.origin));
      const donorSecret = `sk-case-${n}-0123456789`;
      // Never used before: nothing of it is in the vault's connection cache.
      const connectionId = await keyConnection(base(upstream.origin));
      const secret = `sk-case-${n}-0123456789`;
      await c.spoil(connectionId, donorId);
      const seen = upstream.seen.length;
      const res = await execute({
        model: "B",
        connectionId,
        method: "GET",
        url: `${upstream.origin}/v1/items`,
      });
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(500);
      expect(res.statusCode).toBeLessThan(600);
      const body = res.json();
      expect(res.statusCode).toBe(500);
      expect(body).toMatchObject({
        code: "INTERNAL",
        error: "The stored credential of this connection cannot be read.",
        hint: expect.stringContaining("reconnect"),
        requestId: expect.any(String),
        details: { auditId: expect.any(String) },
      });
      expect(upstream.seen.length).toBe(seen);
      for (const s of [secret, donorSecret, "sk-case-", "ERR_DECRYPT", "ciphertext"]) {
        expect(res.body).not.toContain(s);
      }
      // The end of the call is on record like every other one.
      const [row] = await t.deps.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.id, body.details.auditId));
      expect(row).toMatchObject({
        action: "vault.failed",
        outcome: "error",
        code: "INTERNAL",
        connectionId,
        requestId: body.requestId,
        details: { reason: "credential_unreadable" },
      });
      // Still closed on a retry (a failed open is not cached as "no credential").
      const again = await execute({
        model: "B",
        connectionId,
        method: "GET",
        url: `${upstream.origin}/v1/items`,
      });
      expect(again.statusCode).toBe(res.statusCode);
      expect(upstream.seen.length).toBe(seen);
    });
  }
});
