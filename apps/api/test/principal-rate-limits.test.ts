import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeys } from "../src/db/schema/index.js";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

/** API.md S3: authenticated routes are limited per principal, in memory per replica. */
let t: TestApp;
let ada: SignedInUser;
let bob: SignedInUser;
let agent: Awaited<ReturnType<typeof enrolledAgent>>;

beforeAll(async () => {
  t = await buildTestApp({ env: { RATE_LIMIT_HUMAN_PER_MINUTE: "5", RATE_LIMIT_AGENT_PER_MINUTE: "4" } });
  ada = await createUser(t.app, t.deps, "limits-ada@example.com", "Ada");
  bob = await createUser(t.app, t.deps, "limits-bob@example.com", "Bob");
  agent = await enrolledAgent(t.app, ada.token, "Limited agent");
});
afterAll(async () => {
  await t?.close();
});

const get = (url: string, token?: string) =>
  t.app.inject({ method: "GET", url, ...(token ? { headers: bearer(token) } : {}) });

describe("per-principal rate limits", () => {
  it("stops a person after the limit with 429, Retry-After and RateLimit-*; another person is unaffected", async () => {
    // Ada's earlier requests (creating the agent) count too; six more surely pass the limit of 5.
    const statuses: number[] = [];
    let last = await get("/v1/workspaces/current", ada.token);
    statuses.push(last.statusCode);
    for (let i = 0; i < 5; i++) {
      last = await get("/v1/workspaces/current", ada.token);
      statuses.push(last.statusCode);
    }
    const firstRefusal = statuses.indexOf(429);
    expect(firstRefusal).toBeGreaterThanOrEqual(0);
    expect(statuses.slice(firstRefusal).every((s) => s === 429)).toBe(true);
    expect(statuses.slice(0, firstRefusal).every((s) => s === 200)).toBe(true);
    expect(last.json()).toMatchObject({ code: "RATE_LIMITED", requestId: expect.any(String) });
    expect(Number(last.headers["retry-after"])).toBeGreaterThan(0);
    expect(last.headers["ratelimit-limit"]).toBe("5");
    expect(last.headers["ratelimit-remaining"]).toBe("0");
    expect(last.headers["ratelimit-reset"]).toBeDefined();
    expect((await get("/v1/workspaces/current", bob.token)).statusCode).toBe(200);
    // A refused request never takes up its Idempotency-Key: the retry after Retry-After can run.
    const keyed = await t.app.inject({
      method: "POST",
      url: "/v1/agents",
      headers: { ...bearer(ada.token), "idempotency-key": "retry-me-later" },
      payload: { name: "After the limit" },
    });
    expect(keyed.statusCode).toBe(429);
    const claims = await t.deps.database.db
      .select()
      .from(idempotencyKeys)
      .where(eq(idempotencyKeys.idemKey, "retry-me-later"));
    expect(claims).toEqual([]);
  });

  it("counts an agent on its own limit, and leaves public routes to their own", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await get("/v1/agent/me", agent.token)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    for (let i = 0; i < 10; i++) expect((await get("/health")).statusCode).toBe(200);
  });
});
