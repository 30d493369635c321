import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { createUser } from "./helpers/flows.js";

let t: TestApp;
beforeAll(async () => {
  t = await buildTestApp({
    env: { GITHUB_CLIENT_ID: "gh-client-id", GITHUB_CLIENT_SECRET: "gh-client-secret" },
  });
});
afterAll(async () => {
  await t?.close();
});

describe("passkeys", () => {
  it("offers WebAuthn registration options for the dashboard's relying party to a signed-in user", async () => {
    const user = await createUser(t.app, t.deps, "passkey@example.com", "Pia");
    const res = await t.app.inject({
      method: "GET",
      url: "/api/auth/passkey/generate-register-options",
      headers: { cookie: user.cookie, origin: WEB_ORIGIN },
    });
    expect(res.statusCode).toBe(200);
    const options = res.json();
    expect(options.rp).toMatchObject({ id: "localhost", name: "AgentHiFive" });
    expect(options.challenge).toEqual(expect.any(String));
    expect(options.user.name).toBe("passkey@example.com");
  });

  it("refuses registration options without a session", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/auth/passkey/generate-register-options",
      headers: { origin: WEB_ORIGIN },
    });
    expect(res.statusCode).toBe(401);
  });

  it("offers authentication options to anyone (passkey sign-in starts signed out)", async () => {
    const res = await t.app.inject({
      method: "GET",
      url: "/api/auth/passkey/generate-authenticate-options",
      headers: { origin: WEB_ORIGIN },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().challenge).toEqual(expect.any(String));
  });
});

describe("social sign-in", () => {
  it("is enabled by configuration and starts at the provider with state and PKCE", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/social",
      headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: { provider: "github", callbackURL: "/" },
    });
    expect(res.statusCode).toBe(200);
    const url = new URL(res.json().url);
    expect(url.origin).toBe("https://github.com");
    expect(url.searchParams.get("client_id")).toBe("gh-client-id");
    expect(url.searchParams.get("state")).toEqual(expect.any(String));
    expect(res.body).not.toContain("gh-client-secret");
  });

  it("refuses a provider that is not configured", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/social",
      headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: { provider: "google", callbackURL: "/" },
    });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
  });
});

describe("sessions", () => {
  it("set an HttpOnly, SameSite=Lax cookie with the configured lifetime", async () => {
    await createUser(t.app, t.deps, "cookie@example.com");
    const res = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-in/email",
      headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
      payload: { email: "cookie@example.com", password: "correct horse battery staple" },
    });
    const cookie = [res.headers["set-cookie"]]
      .flat()
      .find((c) => c?.startsWith("ah5.session_token=")) as string;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Max-Age=2592000/);
  });
});
