import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../src/db/client.js";
import { enrolledAgent, requestToken, signAssertion } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { TEST_DATABASE_URL } from "./helpers/database.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

/**
 * Two API instances on one database: a second connection pool on PostgreSQL (or the same
 * embedded database without TEST_DATABASE_URL). Real-process replicas are tested separately.
 */
let a: TestApp;
let b: TestApp;
let owner: SignedInUser;
let secondDb: Database;
beforeAll(async () => {
  a = await buildTestApp();
  secondDb = TEST_DATABASE_URL
    ? await (a.testDb as NonNullable<TestApp["testDb"]>).openAnother()
    : a.deps.database;
  b = await buildTestApp({
    sharedDatabase: secondDb,
    env: {
      AUTH_SECRET: a.deps.config.AUTH_SECRET as string,
      ENCRYPTION_KEYS: a.deps.config.ENCRYPTION_KEYS as string,
    },
  });
  owner = await createUser(a.app, a.deps, "replicas@example.com", "Rae");
});
afterAll(async () => {
  await b?.app.close();
  await b?.deps.invalidation.stop();
  await a?.close();
});

async function eventually(check: () => Promise<boolean>, withinMs = 1000) {
  const until = Date.now() + withinMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return check();
}

describe("two API instances on one database", () => {
  it("a client assertion used on A is rejected on B", async () => {
    const agent = await enrolledAgent(a.app, owner.token, "Replayer");
    const assertion = await signAssertion(agent.id, agent.key);
    expect((await requestToken(a.app, assertion)).statusCode).toBe(200);
    const replay = await requestToken(b.app, assertion);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe("ASSERTION_REPLAYED");
  });

  it("a JWT signed by A verifies on B", async () => {
    const res = await b.app.inject({
      method: "GET",
      url: "/v1/workspaces/current",
      headers: bearer(owner.token),
    });
    expect(res.statusCode).toBe(200);
  });

  it("disabling an agent on A stops its token on B within a second", async () => {
    const agent = await enrolledAgent(a.app, owner.token, "Mid-session");
    const me = () => b.app.inject({ method: "GET", url: "/v1/agent/me", headers: bearer(agent.token) });
    expect((await me()).statusCode).toBe(200); // now cached on B
    await a.app.inject({
      method: "POST",
      url: `/v1/agents/${agent.id}/disable`,
      headers: bearer(owner.token),
    });
    expect(await eventually(async () => (await me()).statusCode === 401)).toBe(true);
  });

  it("a key rotated on A is used and accepted by B", async () => {
    await a.deps.keys.rotate();
    const fresh = await a.deps.keys.sign({
      sub: owner.userId,
      wid: owner.workspaceId,
      roles: ["owner"],
      scp: [],
      sid: "s",
      jti: "j",
    });
    const res = await b.app.inject({ method: "GET", url: "/v1/workspaces/current", headers: bearer(fresh) });
    expect(res.statusCode).toBe(200);
  });
});
