import diagnosticsChannel from "node:diagnostics_channel";
import type { IncomingMessage, ServerResponse } from "node:http";
import { text } from "node:stream/consumers";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "../src/lib/errors.js";
import {
  createGuardedConnector,
  createGuardedLookup,
  DevAllowList,
  resolveChecked,
} from "../src/lib/safe-fetch/guard.js";
import { createSafeFetch, type ResolvedAddress, type SafeFetch } from "../src/lib/safe-fetch.js";
import { startUpstream, type Upstream, unusedPort } from "./helpers/upstream.js";

// ---------------------------------------------------------------------------------------------
// No test touches the internet: the injected resolver only ever answers blocked addresses, and
// every socket undici opens in this file is checked to go to 127.0.0.1.
// ---------------------------------------------------------------------------------------------

const connectedHosts: string[] = [];
let connectAttempts = 0;
const onConnected = (message: unknown) => {
  connectedHosts.push((message as { connectParams: { hostname: string } }).connectParams.hostname);
};
const onBeforeConnect = () => {
  connectAttempts++;
};

/** Test DNS: names → addresses, all in blocked ranges. Unknown names: ENOTFOUND. */
const DNS: Record<string, string[]> = {
  "rebind.test": ["127.0.0.1"],
  "metadata.test": ["169.254.169.254"],
  "mixed.test": ["203.0.113.10", "127.0.0.1"],
  "v6-loopback.test": ["::1"],
};
const resolver = vi.fn(async (hostname: string): Promise<ResolvedAddress[]> => {
  const addresses = DNS[hostname];
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  return addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
});

/** Routes of the dev upstreams. */
function route(req: IncomingMessage, res: ServerResponse, body: string) {
  const url = new URL(req.url ?? "/", "http://upstream");
  const parts = url.pathname.split("/").filter(Boolean);
  switch (parts[0]) {
    case "hello":
      res.writeHead(200, { "content-type": "text/plain", "x-upstream": "yes", "set-cookie": ["a=1", "b=2"] });
      res.write("chunk-1;");
      setTimeout(() => res.end("chunk-2;"), 20);
      return;
    case "json":
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
      return;
    case "echo":
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ method: req.method, path: req.url, headers: req.headers, body }));
      return;
    case "redirect": {
      const n = Number(parts[1] ?? 0);
      if (n <= 0) {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("done");
      } else {
        res.writeHead(302, { location: `/redirect/${n - 1}` });
        res.end("moved");
      }
      return;
    }
    case "loop":
      res.writeHead(302, { location: "/loop" });
      res.end();
      return;
    case "to":
      res.writeHead(Number(url.searchParams.get("status") ?? 302), {
        location: url.searchParams.get("target") ?? "/",
      });
      res.end("redirecting");
      return;
    case "hang":
      return; // never answers
    case "stall-body":
      res.writeHead(200, { "content-type": "text/plain" });
      res.write("partial");
      return; // never ends
    case "big":
      res.writeHead(200, { "content-type": "text/plain", "content-length": "1000" });
      res.end("x".repeat(1000));
      return;
    case "big-chunked":
      res.writeHead(200, { "content-type": "text/plain" });
      for (let i = 0; i < 10; i++) res.write("y".repeat(100));
      res.end();
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

let a: Upstream;
let b: Upstream;
let sf: SafeFetch;
const extra: SafeFetch[] = [];

/** A client over the test resolver that dev-allows both upstreams (by host:port only). */
function client(options: Parameters<typeof createSafeFetch>[0] = {}): SafeFetch {
  const c = createSafeFetch({ devAllowHosts: [a.host, b.host], lookup: resolver, ...options });
  extra.push(c);
  return c;
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** A URL on `upstream` that redirects (with `status`) to `target`. */
const to = (upstream: Upstream, target: string, status = 302) =>
  `${upstream.origin}/to?status=${status}&target=${encodeURIComponent(target)}`;

const get = (url: string, more: Partial<Parameters<SafeFetch["request"]>[0]> = {}) =>
  sf.request({ method: "GET", url, ...more });

beforeAll(async () => {
  diagnosticsChannel.subscribe("undici:client:connected", onConnected);
  diagnosticsChannel.subscribe("undici:client:beforeConnect", onBeforeConnect);
  a = await startUpstream((req, res, rec) => route(req, res, rec.body));
  b = await startUpstream((req, res, rec) => route(req, res, rec.body));
  sf = createSafeFetch({ devAllowHosts: [a.host, b.host], lookup: resolver });
});

afterEach(() => {
  resolver.mockClear();
});

afterAll(async () => {
  await Promise.all([sf?.close(), ...extra.map((c) => c.close())]);
  await Promise.all([a?.close(), b?.close()]);
  diagnosticsChannel.unsubscribe("undici:client:connected", onConnected);
  diagnosticsChannel.unsubscribe("undici:client:beforeConnect", onBeforeConnect);
  // Every socket opened in this file went to the local upstreams.
  expect(connectedHosts.length).toBeGreaterThan(0);
  expect(new Set(connectedHosts)).toEqual(new Set(["127.0.0.1"]));
});

describe("blocked before any connection", () => {
  const literals = [
    ["cloud metadata", "https://169.254.169.254/latest/meta-data/"],
    ["loopback", "https://127.0.0.1/"],
    ["this network", "https://0.0.0.0/"],
    ["IPv6 loopback", "https://[::1]/"],
    ["IPv4-mapped IPv6 (dotted)", "https://[::ffff:127.0.0.1]/"],
    ["IPv4-mapped IPv6 (hex)", "https://[::ffff:7f00:1]/"],
    ["NAT64 of loopback", "https://[64:ff9b::7f00:1]/"],
    ["decimal", "https://2130706433/"],
    ["octal", "https://0177.0.0.1/"],
    ["hex short", "https://0x7f.1/"],
    ["short form", "https://127.1/"],
    ["private 10/8", "https://10.0.0.1/"],
    ["private 172.16/12", "https://172.16.0.1/"],
    ["private 192.168/16", "https://192.168.1.1/"],
    ["carrier-grade NAT", "https://100.64.0.1/"],
    ["unique local", "https://[fc00::1]/"],
    ["IPv6 link-local", "https://[fe80::1]/"],
    ["a dev upstream's address on another port", "https://127.0.0.1:1/"],
  ] as const;

  it.each(literals)("IP literal: %s (%s)", async (_name, url) => {
    const before = connectAttempts;
    const err = await rejection(get(url));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(err.status).toBe(403);
    expect(err.details).toMatchObject({ reason: "blocked_address" });
    expect(err.hint).toBeTruthy();
    expect(resolver).not.toHaveBeenCalled();
    expect(connectAttempts).toBe(before);
  });

  it.each([
    "https://localhost/",
    "https://LOCALHOST./",
    "https://api.localhost/",
    "https://printer.local/",
    "https://metadata.google.internal/computeMetadata/v1/",
  ])("refused name without a lookup: %s", async (url) => {
    const before = connectAttempts;
    const err = await rejection(get(url));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(err.details).toMatchObject({ reason: "blocked_name" });
    expect(resolver).not.toHaveBeenCalled();
    expect(connectAttempts).toBe(before);
  });

  it.each([
    "http://2130706433/",
    "http://api.example.com/",
    "http://169.254.169.254/",
    "ftp://files.example.com/",
    "file:///etc/passwd",
  ])("non-https to a non-dev host: %s", async (url) => {
    const before = connectAttempts;
    const err = await rejection(get(url));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(err.details).toMatchObject({ reason: "scheme" });
    expect(resolver).not.toHaveBeenCalled();
    expect(connectAttempts).toBe(before);
  });

  it("http to the dev upstream's address on a port that is not dev-allowed", async () => {
    const err = await rejection(get(`http://127.0.0.1:${await unusedPort()}/`));
    expect(err.details).toMatchObject({ reason: "scheme" });
  });

  it.each([
    "https://user:secret@api.example.com/",
    "https://user@api.example.com/",
    "https://:secret@api.example.com/",
  ])("userinfo: %s", async (url) => {
    const err = await rejection(get(url));
    expect(err.code).toBe("INVALID_URL");
    expect(err.status).toBe(400);
    expect(err.message).not.toContain("secret");
  });

  it("userinfo is refused for dev-allowed hosts too", async () => {
    const err = await rejection(get(`http://admin:pw@${a.host}/hello`));
    expect(err.code).toBe("INVALID_URL");
    expect(a.requests.some((r) => r.url === "/hello" && r.headers.authorization)).toBe(false);
  });

  it("a malformed URL is INVALID_URL", async () => {
    expect((await rejection(get("not a url"))).code).toBe("INVALID_URL");
    expect((await rejection(get("/relative/path"))).code).toBe("INVALID_URL");
  });

  it("never echoes the query string", async () => {
    const err = await rejection(get("https://10.0.0.1/v1/items?api_key=SECRET-123"));
    expect(err.message).not.toContain("SECRET");
    expect(JSON.stringify(err.details)).not.toContain("SECRET");
  });
});

describe("blocked at the socket, after the single lookup", () => {
  it("a name whose resolver answers 127.0.0.1", async () => {
    const err = await rejection(get("https://rebind.test/"));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(err.details).toMatchObject({ host: "rebind.test", reason: "blocked_resolved_address" });
    expect(err.message).not.toContain("127.0.0.1");
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(resolver).toHaveBeenCalledWith("rebind.test");
  });

  it("a name answering several addresses, one of them blocked, is refused as a whole", async () => {
    const connectedBefore = connectedHosts.length;
    const err = await rejection(get("https://mixed.test/"));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(resolver).toHaveBeenCalledTimes(1);
    expect(connectedHosts.length).toBe(connectedBefore);
  });

  it("names answering the metadata address or IPv6 loopback", async () => {
    for (const url of ["https://metadata.test/latest/meta-data/", "https://v6-loopback.test/"]) {
      expect((await rejection(get(url))).code).toBe("SSRF_BLOCKED");
    }
  });

  it("a name that does not resolve is PROVIDER_ERROR", async () => {
    const err = await rejection(get("https://nowhere.test/"));
    expect(err.code).toBe("PROVIDER_ERROR");
    expect(err.details).toMatchObject({ reason: "dns_not_found" });
  });

  it("the connector itself refuses blocked IP literals, names and plain http (defence in depth)", async () => {
    const connect = createGuardedConnector({
      resolve: resolver,
      devAllow: new DevAllowList([]),
      connectTimeoutMs: 1000,
    });
    const attempt = (hostname: string, protocol = "https:") =>
      new Promise<unknown>((resolve) => {
        connect({ hostname, host: hostname, protocol, port: "" }, (err, socket) => {
          socket?.destroy();
          resolve(err);
        });
      });
    for (const [hostname, protocol] of [
      ["127.0.0.1", "https:"],
      ["::1", "https:"],
      ["169.254.169.254", "https:"],
      ["localhost", "https:"],
      ["rebind.test", "https:"], // through tls.connect → guarded lookup
      ["mixed.test", "https:"],
      ["api.example.com", "http:"],
    ] as const) {
      const err = await attempt(hostname, protocol);
      expect(err, hostname).toBeInstanceOf(AppError);
      expect((err as AppError).code, hostname).toBe("SSRF_BLOCKED");
    }
    // Only the two names reached the resolver (IP literals and localhost never do).
    expect(resolver.mock.calls.map(([name]) => name)).toEqual(["rebind.test", "mixed.test"]);
  });
});

describe("pure address checks (no connection)", () => {
  const answers = (...addresses: string[]) =>
    vi.fn(async () =>
      addresses.map((address) => ({ address, family: (address.includes(":") ? 6 : 4) as 4 | 6 })),
    );

  it("passes a public answer through, canonicalised", async () => {
    await expect(resolveChecked("api.example.com", answers("93.184.216.34"))).resolves.toEqual([
      { address: "93.184.216.34", family: 4 },
    ]);
    await expect(
      resolveChecked("api.example.com", answers("2606:2800:220:1:248:1893:25C8:1946")),
    ).resolves.toEqual([{ address: "2606:2800:220:1:248:1893:25c8:1946", family: 6 }]);
  });

  it("refuses a public answer mixed with a private one, in either order", async () => {
    for (const list of [
      ["93.184.216.34", "10.0.0.1"],
      ["10.0.0.1", "93.184.216.34"],
      ["93.184.216.34", "::ffff:169.254.169.254"],
    ]) {
      const err = await rejection(resolveChecked("api.example.com", answers(...list)));
      expect(err.code).toBe("SSRF_BLOCKED");
    }
  });

  it("refuses answers that are not plain IP addresses, and empty answers", async () => {
    expect((await rejection(resolveChecked("x.example", answers("fe80::1%eth0")))).code).toBe("SSRF_BLOCKED");
    expect((await rejection(resolveChecked("x.example", answers()))).code).toBe("PROVIDER_ERROR");
  });

  it("the net lookup answers in both shapes and filters by family", async () => {
    const lookup = createGuardedLookup(answers("93.184.216.34", "2606:2800:220:1::1"));
    const call = (options: object) =>
      new Promise<unknown[]>((resolve) => {
        lookup("api.example.com", options, (err, address, family) => resolve([err, address, family]));
      });
    expect(await call({ all: true })).toEqual([
      null,
      [
        { address: "93.184.216.34", family: 4 },
        { address: "2606:2800:220:1::1", family: 6 },
      ],
      undefined,
    ]);
    expect(await call({})).toEqual([null, "93.184.216.34", 4]);
    expect(await call({ family: 6 })).toEqual([null, "2606:2800:220:1::1", 6]);
  });

  it("dev allow entries match exact host or host:port", () => {
    const list = new DevAllowList(["127.0.0.1:8080", "LocalHost", "[::1]:9000", "api.test:443"]);
    expect(list.matches("127.0.0.1", "8080", "http:")).toBe(true);
    expect(list.matches("127.0.0.1", "8081", "http:")).toBe(false);
    expect(list.matches("127.0.0.1", "", "http:")).toBe(false);
    expect(list.matches("localhost", "3000", "http:")).toBe(true);
    expect(list.matches("::1", "9000", "http:")).toBe(true);
    expect(list.matchesUrl(new URL("http://[::1]:9000/"))).toBe(true);
    expect(list.matchesUrl(new URL("https://api.test/"))).toBe(true);
    expect(list.matchesUrl(new URL("http://api.test/"))).toBe(false);
    expect(new DevAllowList(undefined).size).toBe(0);
    expect(() => new DevAllowList(["host:port"])).toThrow();
  });
});

describe("requests to the dev upstream", () => {
  it("returns status, headers and a streamed body", async () => {
    const res = await get(`${a.origin}/hello?x=1`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/plain");
    expect(res.headers["x-upstream"]).toBe("yes");
    expect(res.headers["set-cookie"]).toEqual(["a=1", "b=2"]);
    expect(res.url).toBe(`${a.origin}/hello?x=1`);
    expect(res.redirects).toBe(0);
    const chunks: string[] = [];
    for await (const chunk of res.body) chunks.push(String(chunk));
    expect(chunks.join("")).toBe("chunk-1;chunk-2;");
    expect(chunks.length).toBeGreaterThanOrEqual(2);
  });

  it("sends method, headers and body; strips hop-by-hop and host headers", async () => {
    const res = await sf.request({
      method: "post",
      url: `${a.origin}/echo`,
      headers: {
        "Content-Type": "application/json",
        "X-Trace": "t1",
        host: "evil.example",
        connection: "close",
      },
      body: JSON.stringify({ hello: "world" }),
    });
    const echo = JSON.parse(await text(res.body));
    expect(echo.method).toBe("POST");
    expect(echo.body).toBe('{"hello":"world"}');
    expect(echo.headers["content-type"]).toBe("application/json");
    expect(echo.headers["x-trace"]).toBe("t1");
    expect(echo.headers.host).toBe(a.host);
  });

  it("reuses one keep-alive socket for sequential requests", async () => {
    const up = await startUpstream((req, res, rec) => route(req, res, rec.body));
    const c = client({ devAllowHosts: [up.host] });
    try {
      for (let i = 0; i < 3; i++) {
        const res = await c.request({ method: "GET", url: `${up.origin}/json` });
        expect(JSON.parse(await text(res.body))).toEqual({ ok: true });
      }
      expect(up.requests.length).toBe(3);
      expect(up.connections).toBe(1);
    } finally {
      await c.close();
      await up.close();
    }
  });

  it("a body destroyed half-way frees the socket without an unhandled error", async () => {
    const res = await get(`${a.origin}/big-chunked`);
    for await (const _chunk of res.body) break; // reads one chunk, then destroys the stream
    expect(res.body.destroyed).toBe(true);
    const next = await get(`${a.origin}/json`);
    expect(JSON.parse(await text(next.body))).toEqual({ ok: true });
  });

  it("a connection refused is PROVIDER_UNAVAILABLE with Retry-After", async () => {
    const port = await unusedPort();
    const c = client({ devAllowHosts: [`127.0.0.1:${port}`] });
    const err = await rejection(c.request({ method: "GET", url: `http://127.0.0.1:${port}/x?token=SECRET` }));
    expect(err.code).toBe("PROVIDER_UNAVAILABLE");
    expect(err.status).toBe(503);
    expect(err.headers).toEqual({ "retry-after": "5" });
    expect(err.details).toMatchObject({ reason: "connection_failed" });
    expect(err.message).not.toContain("SECRET");
  });
});

describe("timeouts", () => {
  it("an upstream that never answers → PROVIDER_UNAVAILABLE", async () => {
    const c = client({ timeoutMs: 200 });
    const started = Date.now();
    const err = await rejection(c.request({ method: "GET", url: `${a.origin}/hang?token=SECRET` }));
    expect(Date.now() - started).toBeLessThan(5000);
    expect(err.code).toBe("PROVIDER_UNAVAILABLE");
    expect(err.status).toBe(503);
    expect(err.headers).toEqual({ "retry-after": "5" });
    expect(err.details).toMatchObject({ reason: "timeout" });
    expect(err.message).toContain(a.host);
    // Never the path: credentials live there (Telegram's /bot<token>/, Slack webhook keys).
    expect(err.message).not.toContain("/hang");
    expect(err.message).not.toContain("SECRET");
  });

  it("a body that stalls → the body stream fails with PROVIDER_UNAVAILABLE", async () => {
    const c = client({ timeoutMs: 200 });
    const res = await c.request({ method: "GET", url: `${a.origin}/stall-body` });
    expect(res.status).toBe(200);
    const err = await rejection(text(res.body));
    expect(err.code).toBe("PROVIDER_UNAVAILABLE");
  });

  it("a per-request timeout overrides the default", async () => {
    const err = await rejection(get(`${a.origin}/hang`, { timeoutMs: 150 }));
    expect(err.code).toBe("PROVIDER_UNAVAILABLE");
  });

  it("the caller's abort passes through as an abort", async () => {
    const controller = new AbortController();
    const pending = get(`${a.origin}/hang`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const err = await pending.then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(AppError);
    expect((err as Error).name).toBe("AbortError");
  });
});

describe("response size cap", () => {
  it("a Content-Length over maxResponseBytes is refused before reading", async () => {
    const c = client({ maxResponseBytes: 100 });
    const err = await rejection(c.request({ method: "GET", url: `${a.origin}/big` }));
    expect(err.code).toBe("RESPONSE_TOO_LARGE");
    expect(err.details).toEqual({ limit: 100 });
  });

  it("a chunked body over the cap fails while streaming; under the cap it passes", async () => {
    const res = await get(`${a.origin}/big-chunked`, { maxResponseBytes: 500 });
    expect((await rejection(text(res.body))).code).toBe("RESPONSE_TOO_LARGE");
    const ok = await get(`${a.origin}/big-chunked`, { maxResponseBytes: 1000 });
    expect((await text(ok.body)).length).toBe(1000);
  });
});

describe("redirects", () => {
  it("follows a chain within the dev upstream that checkRedirect accepts", async () => {
    const checkRedirect = vi.fn();
    const res = await get(`${a.origin}/redirect/3`, { checkRedirect });
    expect(res.status).toBe(200);
    expect(await text(res.body)).toBe("done");
    expect(res.redirects).toBe(3);
    expect(res.url).toBe(`${a.origin}/redirect/0`);
    expect(checkRedirect.mock.calls.map(([u]) => (u as URL).href)).toEqual([
      `${a.origin}/redirect/2`,
      `${a.origin}/redirect/1`,
      `${a.origin}/redirect/0`,
    ]);
  });

  it("more than 3 redirects → PROVIDER_ERROR too_many_redirects", async () => {
    const before = a.requests.length;
    const err = await rejection(get(`${a.origin}/loop`));
    expect(err.code).toBe("PROVIDER_ERROR");
    expect(err.status).toBe(502);
    expect(err.details).toMatchObject({ reason: "too_many_redirects" });
    expect(a.requests.length - before).toBe(4);
  });

  it("maxRedirects is configurable", async () => {
    const c = client({ maxRedirects: 0 });
    const err = await rejection(c.request({ method: "GET", url: `${a.origin}/redirect/1` }));
    expect(err.details).toMatchObject({ reason: "too_many_redirects", maxRedirects: 0 });
  });

  it("checkRedirect throwing refuses the redirect, before the target is requested", async () => {
    const denied = new AppError("HOST_NOT_ALLOWLISTED", "Not allowlisted.");
    const before = a.requests.length;
    const promise = get(to(a, "/hello?from=redirect"), {
      checkRedirect: () => {
        throw denied;
      },
    });
    await expect(promise).rejects.toBe(denied);
    expect(a.requests.length - before).toBe(1);
  });

  it.each([
    ["http metadata", "http://169.254.169.254/latest/meta-data/", "scheme"],
    ["https metadata", "https://169.254.169.254/latest/meta-data/", "blocked_address"],
    ["decimal loopback", "https://2130706433/", "blocked_address"],
    ["localhost (not dev-allowed)", "http://localhost/", "scheme"],
    ["localhost over https", "https://localhost/", "blocked_name"],
  ])("a redirect to %s is blocked", async (_name, target, reason) => {
    const checkRedirect = vi.fn();
    const err = await rejection(get(to(a, target), { checkRedirect }));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(err.details).toMatchObject({ reason });
    expect(checkRedirect).not.toHaveBeenCalled();
  });

  it("a redirect to the dev upstream under a name that is not dev-allowed is blocked", async () => {
    const err = await rejection(get(to(a, `http://localhost:${a.port}/hello`)));
    expect(err.code).toBe("SSRF_BLOCKED");
  });

  it("a redirect to a name resolving to loopback is blocked at connect", async () => {
    const checkRedirect = vi.fn();
    const err = await rejection(get(to(a, "https://rebind.test/admin"), { checkRedirect }));
    expect(err.code).toBe("SSRF_BLOCKED");
    expect(err.details).toMatchObject({ reason: "blocked_resolved_address" });
    expect(checkRedirect).toHaveBeenCalledTimes(1);
    expect(resolver).toHaveBeenCalledWith("rebind.test");
  });

  it("a Location with userinfo is refused", async () => {
    const err = await rejection(get(to(a, `http://u:p@${a.host}/hello`)));
    expect(err.code).toBe("PROVIDER_ERROR");
    expect(err.details).toMatchObject({ reason: "invalid_redirect" });
  });

  it("303 turns a POST into a GET without body", async () => {
    const res = await sf.request({
      method: "POST",
      url: to(a, "/echo", 303),
      headers: { "content-type": "application/json" },
      body: '{"x":1}',
    });
    const echo = JSON.parse(await text(res.body));
    expect(echo.method).toBe("GET");
    expect(echo.body).toBe("");
    expect(echo.headers["content-type"]).toBeUndefined();
    expect(res.redirects).toBe(1);
  });

  it("307 keeps the method and the body", async () => {
    const res = await sf.request({ method: "PUT", url: to(a, "/echo", 307), body: "payload" });
    const echo = JSON.parse(await text(res.body));
    expect(echo.method).toBe("PUT");
    expect(echo.body).toBe("payload");
  });

  it("drops Authorization and credential headers when a redirect changes origin", async () => {
    const headers = {
      authorization: "Bearer provider-token",
      cookie: "sid=1",
      "x-api-key": "k",
      "x-trace": "kept",
    };
    const cross = await get(to(a, `${b.origin}/echo`), { headers });
    expect(cross.url).toBe(`${b.origin}/echo`);
    const seen = JSON.parse(await text(cross.body)).headers;
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen["x-api-key"]).toBeUndefined();
    expect(seen["x-trace"]).toBe("kept");

    const same = await get(to(a, "/echo"), { headers });
    const kept = JSON.parse(await text(same.body)).headers;
    expect(kept.authorization).toBe("Bearer provider-token");
  });

  it("drops the caller's own credential headers (a provider's custom key header) on an origin change only", async () => {
    const headers = { "private-token": "glpat-secret", "x-trace": "kept" };
    const cross = await get(to(a, `${b.origin}/echo`), { headers, credentialHeaders: ["Private-Token"] });
    const seen = JSON.parse(await text(cross.body)).headers;
    expect(seen["private-token"]).toBeUndefined();
    expect(seen["x-trace"]).toBe("kept");
    const same = await get(to(a, "/echo"), { headers, credentialHeaders: ["private-token"] });
    expect(JSON.parse(await text(same.body)).headers["private-token"]).toBe("glpat-secret");
  });

  it("redirect: manual returns the 3xx response", async () => {
    const res = await get(to(a, "/hello"), { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/hello");
    expect(await text(res.body)).toBe("redirecting");
  });
});

describe("fetch adapter", () => {
  it("returns a WHATWG Response", async () => {
    const res = await sf.fetch(`${a.origin}/json`);
    expect(res).toBeInstanceOf(Response);
    expect(res.ok).toBe(true);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toEqual({ ok: true });
    expect(res.url).toBe(`${a.origin}/json`);
  });

  it("sends a form body (as oauth4webapi does) and follows redirects through the guard", async () => {
    const res = await sf.fetch(to(a, "/echo", 307), {
      method: "POST",
      body: new URLSearchParams({ grant_type: "authorization_code", code: "c" }),
    });
    const echo = (await res.json()) as { method: string; body: string; headers: Record<string, string> };
    expect(echo.method).toBe("POST");
    expect(echo.body).toBe("grant_type=authorization_code&code=c");
    expect(echo.headers["content-type"]).toContain("application/x-www-form-urlencoded");
    expect(res.redirected).toBe(true);
  });

  it("redirect: manual returns the redirect; redirect: error refuses it", async () => {
    const res = await sf.fetch(to(a, "/json"), { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/json");
    await res.body?.cancel();
    expect((await rejection(sf.fetch(to(a, "/json"), { redirect: "error" }))).code).toBe("PROVIDER_ERROR");
  });

  it("refuses blocked targets and userinfo with our errors", async () => {
    expect((await rejection(sf.fetch("https://169.254.169.254/latest/meta-data/"))).code).toBe(
      "SSRF_BLOCKED",
    );
    expect((await rejection(sf.fetch(new URL("https://rebind.test/")))).code).toBe("SSRF_BLOCKED");
    expect((await rejection(sf.fetch("https://u:p@api.example.com/"))).code).toBe("INVALID_URL");
  });

  it("a 204 has a null body", async () => {
    const up = await startUpstream((_req, res) => {
      res.writeHead(204);
      res.end();
    });
    const c = client({ devAllowHosts: [up.host] });
    try {
      const res = await c.fetch(`${up.origin}/`);
      expect(res.status).toBe(204);
      expect(res.body).toBeNull();
    } finally {
      await c.close();
      await up.close();
    }
  });
});
