import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOAuthConnector } from "../src/index.js";
import { testConnector } from "./helpers/connector.js";
import { ACCOUNT, type OidcTestServer, startOidcServer } from "./helpers/oidc-server.js";
import { rejection } from "./helpers/rejection.js";

let server: OidcTestServer;
beforeAll(async () => {
  server = await startOidcServer({ minPollIntervalMs: 5_000 });
});
afterAll(() => server.close());

async function start() {
  const connector = testConnector(server);
  const device = await connector.startDeviceAuthorization({ scopes: ["api:read"] });
  return { connector, device, complete: device.verificationUriComplete ?? "" };
}

describe("device authorization grant (RFC 8628)", () => {
  it("starts a flow with codes, verification URIs, lifetime and the default interval", async () => {
    const { device } = await start();
    expect(device.deviceCode).toEqual(expect.any(String));
    expect(device.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(device.verificationUri).toBe(`${server.issuer}/device`);
    expect(device.verificationUriComplete).toContain("user_code=");
    expect(device.expiresIn).toBeGreaterThan(0);
    expect(device.interval).toBe(5); // the server names none: RFC 8628 default
  });

  it("answers pending, then slow_down (+5 s) when polled faster than the interval", async () => {
    const { connector, device } = await start();
    await expect(connector.pollDeviceAuthorization(device.deviceCode)).resolves.toEqual({
      status: "pending",
    });
    await expect(
      connector.pollDeviceAuthorization(device.deviceCode, { intervalSeconds: device.interval }),
    ).resolves.toEqual({ status: "slow_down", interval: 10 });
    await expect(
      connector.pollDeviceAuthorization(device.deviceCode, { intervalSeconds: 10 }),
    ).resolves.toEqual({
      status: "slow_down",
      interval: 15,
    });
  });

  it("completes after the user approves, with tokens and the account", async () => {
    const { connector, device, complete } = await start();
    await server.approveDevice(complete);
    const result = await connector.pollDeviceAuthorization(device.deviceCode, {
      requestedScopes: ["api:read"],
    });
    expect(result.status).toBe("complete");
    if (result.status !== "complete") return;
    expect(result.tokens.accessToken).toEqual(expect.any(String));
    expect(result.tokens.refreshToken).toEqual(expect.any(String));
    expect(result.tokens.providerAccountId).toBe(ACCOUNT.sub);
    expect(result.tokens.accountEmail).toBe(ACCOUNT.email);
    expect(result.tokens.scopes).toContain("api:read");
    // The refresh token from a device grant refreshes like any other.
    const refreshed = await connector.refresh(result.tokens.refreshToken ?? "");
    expect(refreshed.refreshTokenRotated).toBe(true);
  });

  it("answers denied after the user aborts", async () => {
    const { connector, device, complete } = await start();
    await server.denyDevice(complete);
    await expect(connector.pollDeviceAuthorization(device.deviceCode)).resolves.toEqual({ status: "denied" });
  });

  it("answers expired once the device code has run out", async () => {
    const { connector, device } = await start();
    server.expireDeviceCode(device.userCode);
    await expect(connector.pollDeviceAuthorization(device.deviceCode)).resolves.toEqual({
      status: "expired",
    });
  });

  it("throws ERR_PROVIDER_INVALID_GRANT for a device code the server never issued", async () => {
    const error = await rejection(testConnector(server).pollDeviceAuthorization("not-a-device-code"));
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
    expect(error.operation).toBe("device_poll");
  });

  it("is ERR_PROVIDER_NOT_SUPPORTED where the provider has no device flow", async () => {
    const off = testConnector(server, { capabilities: { deviceFlow: false } });
    expect((await rejection(off.startDeviceAuthorization({ scopes: [] }))).code).toBe(
      "ERR_PROVIDER_NOT_SUPPORTED",
    );
    expect((await rejection(off.pollDeviceAuthorization("x"))).code).toBe("ERR_PROVIDER_NOT_SUPPORTED");
    const slack = createOAuthConnector({
      provider: "slack",
      client: { clientId: "id", clientSecret: "secret" },
      redirectUri: "https://app.example/v1/oauth/slack/callback",
      fetch: () => Promise.reject(new Error("no network in this test")),
    });
    expect((await rejection(slack.startDeviceAuthorization({ scopes: [] }))).code).toBe(
      "ERR_PROVIDER_NOT_SUPPORTED",
    );
  });
});
