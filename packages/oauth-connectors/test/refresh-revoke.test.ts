import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, testConnector } from "./helpers/connector.js";
import { ACCOUNT, type OidcTestServer, startOidcServer } from "./helpers/oidc-server.js";
import { rejection } from "./helpers/rejection.js";

let server: OidcTestServer;
beforeAll(async () => {
  server = await startOidcServer();
});
afterAll(() => server.close());

describe("refresh", () => {
  it("returns the rotated refresh token, and the old one is then rejected", async () => {
    const connector = testConnector(server);
    const { tokens } = await connect(server, connector);
    const first = tokens.refreshToken ?? "";
    const refreshed = await connector.refresh(first, { grantedScopes: tokens.scopes });
    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(refreshed.refreshTokenRotated).toBe(true);
    expect(refreshed.refreshToken).toEqual(expect.any(String));
    expect(refreshed.refreshToken).not.toBe(first);
    expect(refreshed.expiresAt).toBeInstanceOf(Date);
    expect(refreshed.providerAccountId).toBe(ACCOUNT.sub);

    const error = await rejection(connector.refresh(first));
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
    expect(error.providerError).toBe("invalid_grant");
    expect(error.operation).toBe("refresh");
  });

  it("chains: every rotated token works exactly once", async () => {
    const connector = testConnector(server);
    let { refreshToken } = (await connect(server, connector)).tokens;
    for (let i = 0; i < 3; i++) {
      const next = await connector.refresh(refreshToken ?? "");
      expect(next.refreshTokenRotated).toBe(true);
      refreshToken = next.refreshToken;
    }
  });

  it("narrows scopes on request (Model A) and reports the narrowed set", async () => {
    const connector = testConnector(server);
    const { tokens } = await connect(server, connector);
    const narrowed = await connector.refresh(tokens.refreshToken ?? "", { scopes: ["openid", "api:read"] });
    expect(narrowed.scopes.sort()).toEqual(["api:read", "openid"]);
  });

  it("refuses narrowing where the provider cannot do it", async () => {
    const connector = testConnector(server, { capabilities: { scopeNarrowing: false } });
    const error = await rejection(connector.refresh("unused", { scopes: ["api:read"] }));
    expect(error.code).toBe("ERR_PROVIDER_NOT_SUPPORTED");
  });

  it("maps a refresh with a wrong client secret to ERR_PROVIDER_MISCONFIGURED", async () => {
    const { tokens } = await connect(server);
    const wrong = testConnector(server, { clientSecret: "not-the-secret" });
    const error = await rejection(wrong.refresh(tokens.refreshToken ?? ""));
    expect(error.code).toBe("ERR_PROVIDER_MISCONFIGURED");
    expect(error.providerError).toBe("invalid_client");
  });
});

describe("revocation (RFC 7009)", () => {
  it("revokes the refresh token; refreshing then fails with ERR_PROVIDER_INVALID_GRANT", async () => {
    const connector = testConnector(server);
    const { tokens } = await connect(server, connector);
    await expect(connector.revoke(tokens.refreshToken ?? "", "refresh_token")).resolves.toEqual({
      revoked: true,
    });
    const error = await rejection(connector.refresh(tokens.refreshToken ?? ""));
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
  });

  it("revokes the access token; the userinfo call then fails as a dead grant", async () => {
    const connector = testConnector(server);
    const { tokens } = await connect(server, connector);
    await expect(connector.revoke(tokens.accessToken, "access_token")).resolves.toEqual({ revoked: true });
    const error = await rejection(connector.userInfo(tokens.accessToken));
    expect(error.code).toBe("ERR_PROVIDER_INVALID_GRANT");
    expect(error.operation).toBe("userinfo");
  });

  it("is idempotent: revoking an unknown token still succeeds (RFC 7009 §2.2)", async () => {
    await expect(testConnector(server).revoke("never-issued")).resolves.toEqual({ revoked: true });
  });

  it("answers a no-op result when the provider cannot revoke", async () => {
    const connector = testConnector(server, { capabilities: { revoke: false } });
    await expect(connector.revoke("anything")).resolves.toEqual({ revoked: false, reason: "not_supported" });
    const before = server.requests.length;
    await connector.revoke("anything");
    expect(server.requests.length).toBe(before);
  });
});
