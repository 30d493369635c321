import { describe, expect, it } from "vitest";
import { AgentHiFiveError, parseRetryAfter, Transport } from "../src/index.js";

type Answer = () => Response | Promise<Response>;
const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

function scripted(...answers: Answer[]) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fetch = async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = answers.shift();
    if (!next) throw new Error("no more answers");
    return next();
  };
  return { calls, fetch };
}

const opts = { baseUrl: "http://api.test", retryBaseDelayMs: 1 };
const err = (code: string, extra = {}) => ({ error: "x", code, requestId: "r1", hint: "do this", ...extra });

describe("Transport retries", () => {
  it("retries a 429 with Retry-After, even for POST, and honours the delay", async () => {
    const s = scripted(json(429, err("RATE_LIMITED"), { "retry-after": "0" }), json(201, { id: "a" }));
    const t = new Transport({ ...opts, fetch: s.fetch });
    await expect(t.json({ method: "POST", path: "/v1/agents", body: {} })).resolves.toEqual({ id: "a" });
    expect(s.calls).toHaveLength(2);
  });

  it("does not wait for a Retry-After longer than maxRetryDelayMs", async () => {
    const s = scripted(json(429, err("BUDGET_EXCEEDED"), { "retry-after": "3600" }));
    const t = new Transport({ ...opts, fetch: s.fetch });
    const e = await t.json({ method: "GET", path: "/x" }).catch((x: unknown) => x);
    expect(e).toMatchObject({ code: "BUDGET_EXCEEDED", status: 429, retryAfter: 3600, hint: "do this" });
    expect(s.calls).toHaveLength(1);
  });

  it("retries 502/503 and network errors for GET with backoff", async () => {
    const s = scripted(
      () => Promise.reject(new TypeError("fetch failed")),
      json(502, err("PROVIDER_ERROR")),
      json(200, { ok: true }),
    );
    const t = new Transport({ ...opts, fetch: s.fetch });
    await expect(t.json({ method: "GET", path: "/x" })).resolves.toEqual({ ok: true });
    expect(s.calls).toHaveLength(3);
  });

  it("never resends a non-idempotent request after a lost answer or a 502", async () => {
    const s = scripted(json(502, err("PROVIDER_ERROR")));
    const t = new Transport({ ...opts, fetch: s.fetch });
    await expect(t.json({ method: "POST", path: "/v1/vault/execute", body: {} })).rejects.toMatchObject({
      code: "PROVIDER_ERROR",
    });
    const s2 = scripted(() => Promise.reject(new TypeError("reset")));
    const t2 = new Transport({ ...opts, fetch: s2.fetch });
    await expect(t2.json({ method: "POST", path: "/x", body: {} })).rejects.toMatchObject({
      code: "NETWORK_ERROR",
      status: 0,
    });
    expect(s.calls.length + s2.calls.length).toBe(2);
  });

  it("does not retry a provider timeout (503 PROVIDER_UNAVAILABLE) of a non-idempotent call", async () => {
    const s = scripted(json(503, err("PROVIDER_UNAVAILABLE"), { "retry-after": "0" }));
    const t = new Transport({ ...opts, fetch: s.fetch });
    await expect(t.json({ method: "POST", path: "/x", body: {}, idempotent: false })).rejects.toMatchObject({
      code: "PROVIDER_UNAVAILABLE",
    });
    expect(s.calls).toHaveLength(1);
  });

  it("resends a keyed POST after a lost answer with the same key, but never a 5xx", async () => {
    const s = scripted(() => Promise.reject(new TypeError("socket hang up")), json(201, { id: "a" }));
    const t = new Transport({ ...opts, fetch: s.fetch });
    await expect(
      t.json({ method: "POST", path: "/v1/agents", body: {}, idempotencyKey: true }),
    ).resolves.toEqual({
      id: "a",
    });
    const keys = s.calls.map((c) => (c.init.headers as Record<string, string>)["idempotency-key"]);
    expect(keys[1]).toBe(keys[0]);
    const s2 = scripted(json(502, err("PROVIDER_ERROR")));
    const t2 = new Transport({ ...opts, fetch: s2.fetch });
    await expect(
      t2.json({ method: "POST", path: "/x", body: {}, idempotencyKey: true }),
    ).rejects.toMatchObject({
      code: "PROVIDER_ERROR",
    });
    expect(s2.calls).toHaveLength(1);
  });

  it("sends an Idempotency-Key that stays the same across retries", async () => {
    const s = scripted(json(503, err("SERVICE_UNAVAILABLE"), { "retry-after": "0" }), json(201, {}));
    const t = new Transport({ ...opts, fetch: s.fetch });
    await t.json({ method: "POST", path: "/x", body: {}, idempotencyKey: true });
    const keys = s.calls.map((c) => (c.init.headers as Record<string, string>)["idempotency-key"]);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).toBe(keys[0]);
  });

  it("times out and reports TIMEOUT", async () => {
    const t = new Transport({
      ...opts,
      maxRetries: 0,
      timeoutMs: 50,
      fetch: (_url, init) =>
        new Promise((_resolve, reject) =>
          init.signal?.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))),
        ),
    });
    await expect(t.json({ method: "GET", path: "/slow" })).rejects.toMatchObject({
      code: "TIMEOUT",
      status: 0,
    });
  });

  it("re-authenticates once on 401 and resends", async () => {
    const s = scripted(json(401, err("TOKEN_EXPIRED")), json(401, err("TOKEN_EXPIRED")), json(200, {}));
    let refreshes = 0;
    const t = new Transport(
      { ...opts, fetch: s.fetch },
      {
        authorization: async () => `Bearer t${refreshes}`,
        refresh: async () => {
          refreshes++;
          return true;
        },
      },
    );
    const e = await t.json({ method: "GET", path: "/x" }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AgentHiFiveError);
    expect(refreshes).toBe(1);
    expect(s.calls.map((c) => (c.init.headers as Record<string, string>).authorization)).toEqual([
      "Bearer t0",
      "Bearer t1",
    ]);
  });

  it("parses Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("7")).toBe(7);
    expect(parseRetryAfter(new Date(Date.now() + 10_000).toUTCString())).toBeGreaterThanOrEqual(9);
    expect(parseRetryAfter("soon")).toBeUndefined();
  });
});
