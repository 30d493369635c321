import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { createUser, type SignedInUser } from "./helpers/flows.js";

/**
 * A live-event stream ends after EVENT_STREAM_MAX_SECONDS whatever its credential, so a person
 * who signs out (or is removed) stops hearing events at the latest then: the browser's reconnect
 * is authenticated again.
 */
let t: TestApp;
let base: string;
let owner: SignedInUser;

beforeAll(async () => {
  t = await buildTestApp({ env: { EVENT_STREAM_MAX_SECONDS: "1" } });
  base = await t.app.listen({ host: "127.0.0.1", port: 0 });
  owner = await createUser(t.app, t.deps, "stream-life@example.com", "Sam");
});
afterAll(async () => {
  await t?.app.close();
  await t?.close();
});

const open = () => fetch(`${base}/v1/events`, { headers: { cookie: owner.cookie, origin: WEB_ORIGIN } });

describe("live-event stream lifetime", () => {
  it("ends a cookie-authenticated stream after the limit; after sign-out the reconnect is refused", async () => {
    const started = Date.now();
    const res = await open();
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) if ((await reader.read()).done) break;
    const lived = Date.now() - started;
    expect(lived).toBeGreaterThanOrEqual(900);
    expect(lived).toBeLessThan(5000);

    const out = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-out",
      headers: { cookie: owner.cookie, origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    const again = await open();
    expect(again.status).toBe(401);
    await again.body?.cancel();
  });
});
