import { hasControlCharacter } from "@agenthifive/contracts";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildFinalUrl, type UrlResult } from "../../src/modules/policies/engine/index.js";
import { sortedQueryHref } from "../../src/modules/policies/engine/url.js";

const href = (r: UrlResult) => {
  if (!r.ok) throw new Error(`expected a valid URL, got ${r.code}: ${r.reason}`);
  return r.url.href;
};
const code = (r: UrlResult) => (r.ok ? "OK" : r.code);

describe("INVALID_URL rules (POLICY.md §2)", () => {
  const cases: [string, string][] = [
    ["not absolute", "/gmail/v1/users"],
    ["relative with host-like start", "gmail.googleapis.com/x"],
    ["no host", "https:///x"],
    ["scheme ftp", "ftp://example.com/x"],
    ["scheme javascript", "javascript:alert(1)"],
    ["plain http", "http://example.com/x"],
    ["userinfo", "https://user:pass@example.com/x"],
    ["userinfo without password", "https://user@example.com/x"],
    ["encoded slash %2F", "https://example.com/a%2Fb"],
    ["encoded slash %2f (lower case)", "https://example.com/a%2fb"],
    ["encoded backslash %5C", "https://example.com/a%5Cb"],
    ["encoded NUL %00", "https://example.com/a%00b"],
    ["encoded control %0A", "https://example.com/a%0Ab"],
    ["raw control (tab)", "https://example.com/a\tb"],
    ["raw control (newline)", "https://example.com/a\nb"],
    ["raw NUL", "https://example.com/a\u0000b"],
    ["raw DEL", "https://example.com/a\u007fb"],
    ["C1 control", "https://example.com/a\u0085b"],
    ["encoded C1 control (UTF-8)", "https://example.com/a%C2%85b"],
    ["backslash in path", "https://example.com/a\\b"],
    ["backslash as separator", "https:\\\\example.com\\x"],
    ["empty segment", "https://example.com/a//b"],
    ["leading empty segment", "https://example.com//a"],
    [". segment", "https://example.com/a/./b"],
    [".. segment", "https://example.com/a/../b"],
    ["trailing ..", "https://example.com/a/.."],
    ["encoded . segment", "https://example.com/a/%2e/b"],
    ["encoded .. segment", "https://example.com/a/%2E%2E/b"],
    ["half-encoded .. segment", "https://example.com/a/.%2e/b"],
    ["double-encoded .. segment", "https://example.com/a/%252e%252e/b"],
    ["double-encoded slash", "https://example.com/a%252Fb"],
    ["malformed escape", "https://example.com/a%zzb"],
    ["truncated escape", "https://example.com/a%4"],
    ["fragment", "https://example.com/a#frag"],
    ["port 0", "https://example.com:0/a"],
    ["port out of range", "https://example.com:70000/a"],
    ["non-numeric port", "https://example.com:https/a"],
    ["percent-encoded host", "https://%65xample.com/a"],
    ["invalid host characters", "https://exa$mple.com/a"],
    ["invalid IPv4 ending in a number", "https://1.2.3.256/a"],
    ["host ending in a number", "https://example.123/a"],
    ["IPv6 zone id", "https://[fe80::1%25eth0]/a"],
    ["unterminated IPv6", "https://[::1/a"],
    ["lone surrogate", "https://example.com/\ud800"],
    ["empty", ""],
  ];
  it.each(cases)("%s → INVALID_URL", (_name, url) => {
    const r = buildFinalUrl(url);
    expect(code(r)).toBe("INVALID_URL");
    if (!r.ok) {
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.hint.length).toBeGreaterThan(0);
    }
  });
  it("allows http only for a host on the development allowlist", () => {
    expect(code(buildFinalUrl("http://localhost:8080/x"))).toBe("INVALID_URL");
    expect(
      href(buildFinalUrl("http://localhost:8080/x", undefined, { devAllowHosts: ["localhost:8080"] })),
    ).toBe("http://localhost:8080/x");
    expect(href(buildFinalUrl("http://LOCALHOST/x", undefined, { devAllowHosts: ["localhost"] }))).toBe(
      "http://localhost/x",
    );
    expect(
      code(buildFinalUrl("http://localhost:9/x", undefined, { devAllowHosts: ["localhost:8080"] })),
    ).toBe("INVALID_URL");
  });
  it("rejects a query key present in both url and query with INVALID_REQUEST", () => {
    const r = buildFinalUrl("https://example.com/x?a=1", { a: "2" });
    expect(code(r)).toBe("INVALID_REQUEST");
    if (!r.ok) expect(r.hint).toMatch(/once/);
    // Decoded names are compared: a%20b in the URL is "a b".
    expect(code(buildFinalUrl("https://example.com/x?a%20b=1", { "a b": "2" }))).toBe("INVALID_REQUEST");
  });
});

describe("normalisation", () => {
  it.each([
    ["lower-cases scheme and host", "HTTPS://GMAIL.GoogleApis.COM/Path", "https://gmail.googleapis.com/Path"],
    ["removes the default port", "https://example.com:443/x", "https://example.com/x"],
    ["keeps a non-default port", "https://example.com:8443/x", "https://example.com:8443/x"],
    ["removes leading zeros of the port", "https://example.com:0443/x", "https://example.com/x"],
    ["removes the trailing dot of the host", "https://example.com./x", "https://example.com/x"],
    ["converts IDN hosts to punycode", "https://münchen.de/x", "https://xn--mnchen-3ya.de/x"],
    ["normalises full-width host characters", "https://ｅｘａｍｐｌｅ.com/x", "https://example.com/x"],
    [
      "decodes encoded unreserved characters",
      "https://example.com/%61%62%2D%5F%7E%31",
      "https://example.com/ab-_~1",
    ],
    ["upper-cases other escapes", "https://example.com/a%3ab", "https://example.com/a%3Ab"],
    [
      "encodes spaces and non-ASCII in the path",
      "https://example.com/a b/é",
      "https://example.com/a%20b/%C3%A9",
    ],
    ["adds the root path", "https://example.com", "https://example.com/"],
    ["keeps a trailing slash", "https://example.com/a/", "https://example.com/a/"],
    [
      "keeps query order and repeated keys",
      "https://example.com/x?b=2&a=1&b=3",
      "https://example.com/x?b=2&a=1&b=3",
    ],
    ["decodes unreserved escapes in the query", "https://example.com/x?%61=%62", "https://example.com/x?a=b"],
    ["drops empty query pairs", "https://example.com/x?&a=1&&b=2&", "https://example.com/x?a=1&b=2"],
    ["drops an empty query", "https://example.com/x?", "https://example.com/x"],
    ["canonicalises IPv6 hosts", "https://[2001:DB8:0:0:0:0:0:1]/x", "https://[2001:db8::1]/x"],
    ["canonicalises IPv4 notations", "https://0x7f.1/x", "https://127.0.0.1/x"],
    ["applies NFC", "https://example.com/e\u0301", "https://example.com/%C3%A9"],
  ])("%s", (_name, input, expected) => {
    expect(href(buildFinalUrl(input))).toBe(expected);
  });

  it("merges the query object after the URL's own query", () => {
    expect(href(buildFinalUrl("https://example.com/x?a=1", { b: "two words", c: ["1", "2"], d: 3 }))).toBe(
      "https://example.com/x?a=1&b=two%20words&c=1&c=2&d=3",
    );
    const r = buildFinalUrl("https://example.com/x", { "q&x": "a=b/c?" });
    expect(href(r)).toBe("https://example.com/x?q%26x=a%3Db%2Fc%3F");
    if (r.ok) expect(r.url.query[0]).toMatchObject({ key: "q&x", value: "a=b/c?" });
  });

  it("exposes decoded query values for matching (+ is a space)", () => {
    const r = buildFinalUrl("https://example.com/x?q=a+b%20c&flag");
    if (!r.ok) throw new Error("invalid");
    expect(r.url.query).toEqual([
      { key: "q", value: "a b c", encodedKey: "q", encodedValue: "a+b%20c" },
      { key: "flag", value: "", encodedKey: "flag", encodedValue: null },
    ]);
    expect(r.url.segments).toEqual(["x"]);
    expect(r.url.origin).toBe("https://example.com");
  });

  it("sorts the query for the fingerprint form only", () => {
    const r = buildFinalUrl("https://example.com/x?b=2&a=2&a=1&c");
    if (!r.ok) throw new Error("invalid");
    expect(r.url.href).toBe("https://example.com/x?b=2&a=2&a=1&c");
    expect(sortedQueryHref(r.url)).toBe("https://example.com/x?a=1&a=2&b=2&c");
  });

  it("is idempotent (property)", () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ["https"], withQueryParameters: true }), (url) => {
        const first = buildFinalUrl(url);
        if (!first.ok) return;
        const second = buildFinalUrl(first.url.href);
        expect(second.ok).toBe(true);
        if (second.ok) expect(second.url.href).toBe(first.url.href);
      }),
      { numRuns: 500 },
    );
  });

  it("is idempotent on arbitrary Unicode segments (property)", () => {
    const segment = fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(segment, { minLength: 1, maxLength: 5 }),
        fc.dictionary(segment, segment, { maxKeys: 3 }),
        (segs, query) => {
          const first = buildFinalUrl(`https://example.com/${segs.join("/")}`, query);
          if (!first.ok) return;
          const again = buildFinalUrl(first.url.href);
          expect(again.ok && again.url.href).toBe(first.url.href);
          expect(hasControlCharacter(first.url.href) || /[\s\\]/.test(first.url.href)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("remembered results", () => {
  it("returns the same frozen result for the same URL and options, and keeps options apart", () => {
    const url = "https://api.example.com/v1/items?b=2&a=1";
    const first = buildFinalUrl(url);
    expect(buildFinalUrl(url)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    if (!first.ok) throw new Error("expected a valid URL");
    expect(() => (first.url.segments as string[]).push("x")).toThrow(TypeError);
    expect(() => {
      (first.url as { path: string }).path = "/admin";
    }).toThrow(TypeError);

    const plain = "http://upstream.test:8080/v1/items";
    expect(buildFinalUrl(plain).ok).toBe(false);
    expect(buildFinalUrl(plain, undefined, { allowHttp: true }).ok).toBe(true);
    expect(buildFinalUrl(plain, undefined, { devAllowHosts: ["upstream.test:8080"] }).ok).toBe(true);
    expect(buildFinalUrl(plain).ok).toBe(false);
  });

  it("normalises a query object every time (it is part of the request, not the URL string)", () => {
    const a = buildFinalUrl("https://api.example.com/v1/items", { q: "1" });
    const b = buildFinalUrl("https://api.example.com/v1/items", { q: "2" });
    expect(a.ok && a.url.href).toBe("https://api.example.com/v1/items?q=1");
    expect(b.ok && b.url.href).toBe("https://api.example.com/v1/items?q=2");
  });
});
