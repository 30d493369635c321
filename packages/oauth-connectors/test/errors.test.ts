import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createOAuthConnector,
  type FetchLike,
  generateCodeVerifier,
  isOAuthConnectorError,
  OAuthConnectorError,
} from "../src/index.js";
import { connect, testConnector, testProvider } from "./helpers/connector.js";
import { CLIENT, type OidcTestServer, startOidcServer } from "./helpers/oidc-server.js";
import { rejection } from "./helpers/rejection.js";

let server: OidcTestServer;
beforeAll(async () => {
  server = await startOidcServer();
});
afterAll(() => server.close());

/** Forwards to the real server, except token-endpoint calls, which get `answer`. */
function tokenEndpointAnswers(answer: () => Response): FetchLike {
  return (url, init) => (new URL(url).pathname === "/token" ? Promise.resolve(answer()) : fetch(url, init));
}

describe("OAuthConnectorError", () => {
  it("carries a stable code and is recognised across package copies", () => {
    const error = new OAuthConnectorError("ERR_STATE_MISMATCH", "x", { operation: "authorization" });
    expect(error.name).toBe("OAuthConnectorError");
    expect(isOAuthConnectorError(error)).toBe(true);
    const foreign = Object.assign(new Error("x"), {
      name: "OAuthConnectorError",
      code: "ERR_STATE_MISMATCH",
    });
    expect(isOAuthConnectorError(foreign)).toBe(true);
    expect(
      isOAuthConnectorError(Object.assign(new Error("x"), { name: "OAuthConnectorError", code: "E" })),
    ).toBe(false);
    expect(isOAuthConnectorError({ name: "OAuthConnectorError", code: "ERR_STATE_MISMATCH" })).toBe(false);
  });

  it("keeps only provider error codes that look like OAuth error codes", () => {
    const make = (providerError: string) =>
      new OAuthConnectorError("ERR_PROVIDER_INVALID_GRANT", "x", { operation: "refresh", providerError })
        .providerError;
    expect(make("invalid_grant")).toBe("invalid_grant");
    expect(make("1//0gAbC-token")).toBeUndefined();
    expect(make("invalid grant: see https://x")).toBeUndefined();
  });
});

describe("transport failures are ERR_PROVIDER_UNAVAILABLE", () => {
  it("when the server is gone (connection refused)", async () => {
    const doomed = await startOidcServer();
    const connector = testConnector(doomed);
    const { tokens } = await connect(doomed, connector);
    await doomed.close();
    const error = await rejection(connector.refresh(tokens.refreshToken ?? ""));
    expect(error.code).toBe("ERR_PROVIDER_UNAVAILABLE");
    expect(error.operation).toBe("refresh");
    expect((await rejection(testConnector(doomed).discover())).code).toBe("ERR_PROVIDER_UNAVAILABLE");
  });

  it("when the provider does not answer within timeoutMs", async () => {
    const hanging: FetchLike = (url, init) =>
      new URL(url).pathname === "/token"
        ? new Promise((_resolve, reject) =>
            init.signal?.addEventListener("abort", () => reject(init.signal?.reason)),
          )
        : fetch(url, init);
    const connector = createOAuthConnector({
      provider: testProvider(server.issuer),
      client: { clientId: CLIENT.clientId, clientSecret: CLIENT.clientSecret },
      redirectUri: CLIENT.redirectUri,
      allowInsecureHttp: true,
      fetch: hanging,
      timeoutMs: 50,
    });
    const error = await rejection(connector.refresh("whatever"));
    expect(error.code).toBe("ERR_PROVIDER_UNAVAILABLE");
    expect(error.message).toMatch(/in time/);
  });

  it("on 5xx, with or without an OAuth error body, and on 429", async () => {
    for (const [answer, status] of [
      [() => new Response("upstream down", { status: 503 }), 503],
      [() => Response.json({ error: "server_error" }, { status: 500 }), 500],
      [() => Response.json({ error: "temporarily_unavailable" }, { status: 400 }), 400],
      [() => new Response("slow", { status: 429 }), 429],
    ] as const) {
      const error = await rejection(
        testConnector(server, { fetch: tokenEndpointAnswers(answer) }).refresh("rt"),
      );
      expect(error.code).toBe("ERR_PROVIDER_UNAVAILABLE");
      expect(error.status).toBe(status);
    }
  });

  it("but a 200 that is not a token response is ERR_PROVIDER_INVALID_RESPONSE", async () => {
    const connector = testConnector(server, {
      fetch: tokenEndpointAnswers(() => Response.json({ hello: 1 })),
    });
    expect((await rejection(connector.refresh("rt"))).code).toBe("ERR_PROVIDER_INVALID_RESPONSE");
  });
});

describe("configuration errors are ERR_PROVIDER_MISCONFIGURED", () => {
  it("without the client secret a confidential client needs", async () => {
    const connector = createOAuthConnector({
      provider: testProvider(server.issuer),
      client: { clientId: CLIENT.clientId },
      redirectUri: CLIENT.redirectUri,
      allowInsecureHttp: true,
    });
    expect((await rejection(connector.refresh("rt"))).code).toBe("ERR_PROVIDER_MISCONFIGURED");
  });
});

describe("no error carries a token, code or secret", () => {
  const ACCESS = "at-CANARY-7fQ2x9Lm";
  const REFRESH = "rt-CANARY-K3vB8pW1";
  const CODE = "code-CANARY-Zq4Y6t0N";
  const VERIFIER = generateCodeVerifier();
  const echoing: FetchLike = async (url, init) => {
    if (!new URL(url).pathname.startsWith("/token")) return fetch(url, init);
    const description = `rejected ${String(init.body)} ${ACCESS} ${REFRESH} ${CODE} ${CLIENT.clientSecret}`;
    return Response.json({ error: REFRESH.toLowerCase(), error_description: description }, { status: 400 });
  };

  it("in message, stack, String(), JSON or own properties, with no cause attached", async () => {
    const errors: OAuthConnectorError[] = [];
    const connector = testConnector(server, { fetch: echoing });
    errors.push(await rejection(connector.refresh(REFRESH)));
    errors.push(await rejection(connector.revoke(ACCESS)));
    const state = "state-CANARY-1";
    const callbackUrl = `${CLIENT.redirectUri}?code=${CODE}&state=${state}&iss=${encodeURIComponent(server.issuer)}`;
    errors.push(
      await rejection(connector.exchangeCode({ callbackUrl, expectedState: state, codeVerifier: VERIFIER })),
    );
    errors.push(
      await rejection(
        connector.exchangeCode({ callbackUrl, expectedState: "other", codeVerifier: VERIFIER }),
      ),
    );
    const denied = `${CLIENT.redirectUri}?error=access_denied&error_description=${CODE}&state=${state}&iss=${server.issuer}`;
    errors.push(
      await rejection(
        connector.exchangeCode({ callbackUrl: denied, expectedState: state, codeVerifier: VERIFIER }),
      ),
    );
    errors.push(await rejection(testConnector(server).userInfo(ACCESS)));
    errors.push(await rejection(testConnector(server, { clientSecret: "wrong" }).refresh(REFRESH)));
    errors.push(await rejection(testConnector(server).pollDeviceAuthorization(CODE)));
    const secrets = [
      ACCESS,
      REFRESH,
      REFRESH.toLowerCase(),
      CODE,
      VERIFIER,
      CLIENT.clientSecret,
      state,
      "CANARY",
    ];
    for (const error of errors) {
      expect(error).toBeInstanceOf(OAuthConnectorError);
      expect(error.cause).toBeUndefined();
      const rendered = [
        error.message,
        error.stack,
        String(error),
        JSON.stringify(error),
        JSON.stringify({ ...error }),
      ];
      for (const text of rendered) for (const secret of secrets) expect(text).not.toContain(secret);
      expect(error.message).not.toMatch(/https?:\/\/\S*\?/);
    }
    // The echoed "error" code looked like a token, so it was dropped rather than reported.
    expect(errors[0]?.providerError).toBeUndefined();
  });
});
