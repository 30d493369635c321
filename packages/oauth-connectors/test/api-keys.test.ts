import { afterEach, describe, expect, it } from "vitest";
import { type FetchLike, injectCredential, isOAuthConnectorError, verifyApiKey } from "../src/index.js";
import {
  startUpstream,
  type Upstream,
  type UpstreamAnswer,
  type UpstreamRequest,
} from "./helpers/upstream.js";

const KEY = "sk-CANARY-0123456789abcdef";
const BOT = "123456789:AAH-CANARY_token";

describe("injectCredential", () => {
  it("puts each provider's key where that provider reads it", () => {
    expect(injectCredential({ url: "https://api.openai.com/v1/models" }, "openai", { secret: KEY })).toEqual({
      url: "https://api.openai.com/v1/models",
      headers: { authorization: `Bearer ${KEY}` },
    });
    expect(
      injectCredential({ url: "https://api.anthropic.com/v1/messages" }, "anthropic", { secret: KEY })
        .headers,
    ).toEqual({
      "x-api-key": KEY,
    });
    const gemini = injectCredential(
      { url: "https://generativelanguage.googleapis.com/v1beta/models?pageSize=5" },
      "gemini",
      { secret: KEY },
    );
    expect(gemini).toEqual({
      url: "https://generativelanguage.googleapis.com/v1beta/models?pageSize=5",
      headers: { "x-goog-api-key": KEY },
    });
    expect(
      injectCredential({ url: "https://api.telegram.org/sendMessage" }, "telegram", { secret: BOT }),
    ).toEqual({
      url: `https://api.telegram.org/bot${BOT}/sendMessage`,
      headers: {},
    });
    const trello = injectCredential({ url: "https://api.trello.com/1/members/me" }, "trello", {
      secret: "trello-token",
      extra: { apiKey: "0123abcd" },
    });
    expect(trello.headers.authorization).toBe(
      'OAuth oauth_consumer_key="0123abcd", oauth_token="trello-token"',
    );
  });

  it("replaces a header of the same name instead of adding a second one", () => {
    const injected = injectCredential(
      {
        url: "https://api.openai.com/v1/models",
        headers: { Authorization: "Bearer agent-supplied", "x-trace": "1" },
      },
      "openai",
      { secret: KEY },
    );
    expect(injected.headers).toEqual({ authorization: `Bearer ${KEY}`, "x-trace": "1" });
  });

  it("lets a generic key choose its header and scheme, on its own origin only", () => {
    const extra = { origin: "https://api.acme.example", headerName: "X-Api-Token", scheme: "" };
    const injected = injectCredential({ url: "https://api.acme.example/v2/items" }, "generic-api-key", {
      secret: KEY,
      extra,
    });
    expect(injected.headers).toEqual({ "x-api-token": KEY });
    expect(() =>
      injectCredential({ url: "https://elsewhere.example/" }, "generic-api-key", { secret: KEY, extra }),
    ).toThrow(expect.objectContaining({ code: "ERR_ORIGIN_NOT_ALLOWED" }));
    expect(() =>
      injectCredential({ url: "https://api.acme.example/" }, "generic-api-key", {
        secret: KEY,
        extra: { ...extra, headerName: "cookie" },
      }),
    ).toThrow(TypeError);
  });

  it("never sends a key to another origin (including userinfo tricks)", () => {
    for (const url of [
      "https://api.anthropic.com/v1/models",
      "http://api.openai.com/v1/models",
      "https://api.openai.com.evil.example/v1",
      "https://user:pass@api.openai.com/v1/models",
    ]) {
      let thrown: unknown;
      try {
        injectCredential({ url }, "openai", { secret: KEY });
      } catch (error) {
        thrown = error;
      }
      expect(isOAuthConnectorError(thrown) && thrown.code).toBe("ERR_ORIGIN_NOT_ALLOWED");
    }
  });

  it("refuses secrets that could split a header or a path, without echoing them", () => {
    for (const [provider, secret, url] of [
      ["openai", `${KEY}\r\nx-evil: 1`, "https://api.openai.com/v1/models"],
      ["telegram", "123:abc/../../evil", "https://api.telegram.org/getMe"],
      ["telegram", "123:abc?x=1", "https://api.telegram.org/getMe"],
    ] as const) {
      expect(() => injectCredential({ url }, provider, { secret })).toThrow(TypeError);
      try {
        injectCredential({ url }, provider, { secret });
      } catch (error) {
        expect(String(error)).not.toContain(secret);
      }
    }
  });
});

describe("verifyApiKey against a local stand-in for the provider", () => {
  let upstream: Upstream | undefined;
  afterEach(() => upstream?.close());

  async function verify(
    provider: string,
    secret: string,
    answer: (request: UpstreamRequest) => UpstreamAnswer,
    extra?: Record<string, string>,
  ) {
    upstream = await startUpstream(answer);
    return verifyApiKey({ provider, secret, fetch: upstream.fetch, ...(extra ? { extra } : {}) });
  }

  it("OpenAI: a working key is accepted, with no account id to report", async () => {
    const result = await verify("openai", KEY, () => ({ json: { object: "list", data: [] } }));
    expect(result).toEqual({ ok: true, accountId: null, verified: true });
    expect(upstream?.asked).toEqual(["https://api.openai.com/v1/models"]);
    expect(upstream?.requests[0]).toMatchObject({ method: "GET", path: "/v1/models" });
    expect(upstream?.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it("OpenAI: a 401 is API_KEY_REJECTED, a 500 or 429 PROVIDER_UNAVAILABLE", async () => {
    const unauthorized = { status: 401, json: { error: { message: `Incorrect API key provided: ${KEY}` } } };
    await expect(verify("openai", KEY, () => unauthorized)).resolves.toEqual({
      ok: false,
      code: "API_KEY_REJECTED",
      status: 401,
    });
    await upstream?.close();
    await expect(verify("openai", KEY, () => ({ status: 500 }))).resolves.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
      status: 500,
    });
    await upstream?.close();
    await expect(verify("openai", KEY, () => ({ status: 429 }))).resolves.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
  });

  it("Anthropic: sends x-api-key and the API version header", async () => {
    await verify("anthropic", KEY, () => ({ json: { data: [] } }));
    expect(upstream?.asked).toEqual(["https://api.anthropic.com/v1/models"]);
    expect(upstream?.requests[0]?.headers["x-api-key"]).toBe(KEY);
    expect(upstream?.requests[0]?.headers["anthropic-version"]).toBe("2023-06-01");
    expect(upstream?.requests[0]?.headers.authorization).toBeUndefined();
  });

  it("Telegram: getMe names the bot; the token travels only in the path", async () => {
    const result = await verify("telegram", BOT, () => ({
      json: {
        ok: true,
        result: { id: 987654321, is_bot: true, first_name: "Helper", username: "ah5_helper_bot" },
      },
    }));
    expect(result).toEqual({ ok: true, accountId: "987654321", label: "ah5_helper_bot", verified: true });
    expect(upstream?.asked).toEqual([`https://api.telegram.org/bot${BOT}/getMe`]);
  });

  it("Telegram: a refused token is API_KEY_REJECTED (404 or ok:false)", async () => {
    const notFound = { status: 404, json: { ok: false, error_code: 404, description: "Not Found" } };
    await expect(verify("telegram", BOT, () => notFound)).resolves.toMatchObject({
      ok: false,
      code: "API_KEY_REJECTED",
    });
    await upstream?.close();
    await expect(verify("telegram", BOT, () => ({ json: { ok: false } }))).resolves.toMatchObject({
      ok: false,
      code: "API_KEY_REJECTED",
    });
  });

  it("Slack: auth.test answers HTTP 200 with ok:false for a bad bot token", async () => {
    await expect(
      verify("slack", "xoxb-bad", () => ({ json: { ok: false, error: "invalid_auth" } })),
    ).resolves.toEqual({
      ok: false,
      code: "API_KEY_REJECTED",
      status: 200,
    });
    await upstream?.close();
    const good = { json: { ok: true, team: "Acme", team_id: "T0TEAM", user_id: "U0BOT", bot_id: "B01" } };
    await expect(verify("slack", "xoxb-good", () => good)).resolves.toEqual({
      ok: true,
      accountId: "T0TEAM",
      label: "Acme",
      verified: true,
    });
    expect(upstream?.requests[0]?.method).toBe("POST");
  });

  it("an answer without the expected account id is PROVIDER_UNAVAILABLE, not success", async () => {
    await expect(verify("telegram", BOT, () => ({ json: { ok: true } }))).resolves.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
  });

  it("a redirect is not followed and not trusted", async () => {
    const result = await verify("openai", KEY, () => ({
      status: 302,
      headers: { location: "https://evil.example/" },
    }));
    expect(result).toMatchObject({ ok: false, code: "PROVIDER_UNAVAILABLE", status: 302 });
    expect(upstream?.requests).toHaveLength(1);
  });

  it("a network failure is PROVIDER_UNAVAILABLE", async () => {
    const down: FetchLike = () => Promise.reject(new TypeError("fetch failed"));
    await expect(verifyApiKey({ provider: "openai", secret: KEY, fetch: down })).resolves.toEqual({
      ok: false,
      code: "PROVIDER_UNAVAILABLE",
    });
  });

  it("a generic key has nothing to verify against: accepted unverified, never fetched", async () => {
    let called = false;
    const spy: FetchLike = () => {
      called = true;
      return Promise.reject(new Error("unexpected"));
    };
    const extra = { origin: "https://api.acme.example" };
    await expect(
      verifyApiKey({ provider: "generic-api-key", secret: KEY, extra, fetch: spy }),
    ).resolves.toEqual({
      ok: true,
      accountId: null,
      verified: false,
    });
    expect(called).toBe(false);
    await expect(
      verifyApiKey({
        provider: "generic-api-key",
        secret: KEY,
        extra: { origin: "http://acme.example" },
        fetch: spy,
      }),
    ).resolves.toEqual({ ok: false, code: "API_KEY_REJECTED" });
  });

  it("requires the provider's extra fields (Trello's API key)", async () => {
    const fetchNothing: FetchLike = () => Promise.reject(new Error("unexpected"));
    await expect(verifyApiKey({ provider: "trello", secret: "t", fetch: fetchNothing })).rejects.toThrow(
      "extra.apiKey is required",
    );
  });
});
