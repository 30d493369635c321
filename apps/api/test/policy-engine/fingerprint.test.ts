import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalJson,
  fingerprintMaterial,
  type PolicyRequest,
  RequestUrlError,
  requestFingerprint,
} from "../../src/modules/policies/engine/index.js";

const post: PolicyRequest = {
  model: "B",
  method: "POST",
  url: "https://slack.com/api/chat.postMessage",
  headers: { "content-type": "application/json" },
  body: { channel: "C1", text: "hi", blocks: [{ type: "section", n: 1 }] },
};
const fp = (r: PolicyRequest) => requestFingerprint(r);

describe("canonical JSON", () => {
  it("sorts keys at every depth and drops whitespace", () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson("é\n")).toBe('"é\\n"');
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
    expect(() => canonicalJson(Number.NaN)).toThrow();
  });
});

describe("requestFingerprint (POLICY.md §5)", () => {
  it("is the SHA-256 of the canonical {method, url, contentType, body}", () => {
    const material = fingerprintMaterial(post);
    expect(material).toEqual({
      method: "POST",
      url: "https://slack.com/api/chat.postMessage",
      contentType: "application/json",
      body: '{"blocks":[{"n":1,"type":"section"}],"channel":"C1","text":"hi"}',
    });
    expect(fp(post)).toBe(createHash("sha256").update(canonicalJson(material)).digest("hex"));
  });

  describe("is stable under", () => {
    it.each<[string, PolicyRequest]>([
      [
        "body key order",
        { ...post, body: { text: "hi", blocks: [{ n: 1, type: "section" }], channel: "C1" } },
      ],
      ["method case", { ...post, method: "post" }],
      ["host case and default port", { ...post, url: "https://SLACK.com:443/api/chat.postMessage" }],
      ["encoded unreserved characters", { ...post, url: "https://slack.com/api/chat.post%4Dessage" }],
      [
        "content-type parameters and header-name case",
        { ...post, headers: { "Content-Type": "Application/JSON; charset=utf-8" } },
      ],
      ["other headers", { ...post, headers: { ...post.headers, "x-trace": "1", authorization: "Bearer x" } }],
      ["the model", { ...post, model: "A" }],
      ["a declared size", { ...post, bodyBytes: 999 }],
    ])("%s", (_name, variant) => {
      expect(fp(variant)).toBe(fp(post));
    });
    it("query order, and query object versus URL query", () => {
      const a = fp({ model: "B", method: "GET", url: "https://x.com/p?b=2&a=1&a=0" });
      expect(fp({ model: "B", method: "GET", url: "https://x.com/p?a=0&a=1&b=2" })).toBe(a);
      expect(fp({ model: "B", method: "GET", url: "https://x.com/p?b=2", query: { a: ["1", "0"] } })).toBe(a);
    });
    it("a raw body given as bytes or as base64", () => {
      const raw = {
        model: "B",
        method: "PUT",
        url: "https://x.com/f",
        headers: { "content-type": "image/png" },
      };
      expect(fp({ ...raw, body: new Uint8Array([1, 2, 3]) })).toBe(fp({ ...raw, bodyBase64: "AQID" }));
    });
  });

  describe("changes with", () => {
    it.each<[string, PolicyRequest]>([
      ["the body", { ...post, body: { ...(post.body as object), text: "bye" } }],
      [
        "a nested body value",
        { ...post, body: { ...(post.body as object), blocks: [{ type: "section", n: 2 }] } },
      ],
      [
        "array order in the body",
        { ...post, body: { channel: "C1", text: "hi", blocks: [{ n: 1, type: "section" }, 1] } },
      ],
      ["the method", { ...post, method: "PUT" }],
      ["the path", { ...post, url: "https://slack.com/api/chat.update" }],
      ["path case", { ...post, url: "https://slack.com/api/chat.PostMessage" }],
      ["the host", { ...post, url: "https://api.slack.com/api/chat.postMessage" }],
      ["a query parameter", { ...post, url: "https://slack.com/api/chat.postMessage?x=1" }],
      ["the content type", { ...post, headers: { "content-type": "application/x-www-form-urlencoded" } }],
      ["no body", { ...post, body: undefined }],
      [
        "a raw body instead of JSON",
        { ...post, body: undefined, bodyBase64: Buffer.from(canonicalJson(post.body)).toString("base64") },
      ],
    ])("%s", (_name, variant) => {
      expect(fp(variant)).not.toBe(fp(post));
    });
    it("a repeated query value", () => {
      expect(fp({ model: "B", method: "GET", url: "https://x.com/p?a=1&a=1" })).not.toBe(
        fp({ model: "B", method: "GET", url: "https://x.com/p?a=1" }),
      );
    });
  });

  it("defaults the content type of a JSON body and is null without a body", () => {
    expect(fingerprintMaterial({ ...post, headers: {} }).contentType).toBe("application/json");
    expect(fingerprintMaterial({ model: "B", method: "GET", url: "https://x.com/" })).toMatchObject({
      contentType: null,
      body: null,
    });
  });

  it("throws RequestUrlError for a URL the engine would refuse", () => {
    expect(() => fp({ ...post, url: "https://slack.com/a/../b" })).toThrow(RequestUrlError);
    try {
      fp({ ...post, url: "https://slack.com/a?x=1", query: { x: "2" } });
    } catch (err) {
      expect((err as RequestUrlError).code).toBe("INVALID_REQUEST");
    }
  });

  it("ignores object key order (property)", () => {
    const shuffle = (value: unknown, seed: number): unknown => {
      if (Array.isArray(value)) return value.map((v, i) => shuffle(v, seed + i));
      if (value && typeof value === "object") {
        const entries = Object.entries(value);
        const rotated = entries
          .map((_, i) => entries[(i + seed) % entries.length] as [string, unknown])
          .reverse();
        return Object.fromEntries(rotated.map(([k, v]) => [k, shuffle(v, seed + 1)]));
      }
      return value;
    };
    fc.assert(
      fc.property(fc.jsonValue(), fc.nat(100), (body, seed) => {
        const a = { model: "B", method: "POST", url: "https://x.com/p", body };
        expect(fp({ ...a, body: shuffle(body, seed) })).toBe(fp(a));
      }),
      { numRuns: 300 },
    );
  });

  it("distinguishes different bodies (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (x, y) => {
        fc.pre(canonicalJson(x) !== canonicalJson(y));
        const a = { model: "B", method: "POST", url: "https://x.com/p" };
        expect(fp({ ...a, body: x })).not.toBe(fp({ ...a, body: y }));
      }),
      { numRuns: 300 },
    );
  });
});
