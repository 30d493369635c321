import { describe, expect, it } from "vitest";
import {
  compilePolicy,
  createResponseStreamFilter,
  filterResponse,
} from "../../src/modules/policies/engine/index.js";

const base = {
  version: 1,
  allowlists: [{ origin: "https://api.example.com", paths: ["/**"], methods: ["GET", "POST"] }],
};
const policyWith = (transform: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  compilePolicy({ ...base, ...extra, responseRules: [{ id: "t", transform }] });
const GET = { method: "GET", url: "https://api.example.com/v1/items" };
const json = (body: unknown) => ({ status: 200, contentType: "application/json", body });

const doc = {
  id: "1",
  owner: { id: "u1", name: "Ann", email: "ann@example.com", address: { city: "Berlin", zip: "10115" } },
  items: [
    { id: "a", title: "first", meta: { id: "m1", secret: "s1" } },
    { id: "b", title: "second", meta: { id: "m2", secret: "s2" }, tags: [{ id: "t1", secret: "x" }] },
  ],
  secret: "top",
};

describe("allowFields", () => {
  it.each([
    ["a top-level key", ["id"], { id: "1" }],
    ["a nested path keeps its ancestors", ["owner.address.city"], { owner: { address: { city: "Berlin" } } }],
    ["a subtree is kept whole", ["owner.address"], { owner: { address: { city: "Berlin", zip: "10115" } } }],
    ["* over array indexes", ["items.*.id"], { items: [{ id: "a" }, { id: "b" }] }],
    ["* over object keys", ["owner.*"], { owner: doc.owner }],
    ["* at the root", ["*.name"], { owner: { name: "Ann" } }],
    ["a literal index", ["items.1.title"], { items: [{ title: "second" }] }],
    [
      "** at the start matches every depth",
      ["**.id"],
      {
        id: "1",
        owner: { id: "u1" },
        items: [
          { id: "a", meta: { id: "m1" } },
          { id: "b", meta: { id: "m2" }, tags: [{ id: "t1" }] },
        ],
      },
    ],
    [
      "** in the middle",
      ["items.**.secret"],
      { items: [{ meta: { secret: "s1" } }, { meta: { secret: "s2" }, tags: [{ secret: "x" }] }] },
    ],
    ["** at the end keeps the subtree", ["owner.**"], { owner: doc.owner }],
    ["several paths", ["id", "items.*.title"], { id: "1", items: [{ title: "first" }, { title: "second" }] }],
    ["a path that matches nothing", ["nope.nothing"], {}],
    ["** alone keeps everything", ["**"], doc],
  ])("%s", (_name, allowFields, expected) => {
    const r = filterResponse(policyWith({ allowFields }), GET, json(doc));
    expect(r.body).toEqual(expected);
    expect(r.blocked).toBeUndefined();
  });

  it("drops array elements that hold no allowed path", () => {
    const r = filterResponse(
      policyWith({ allowFields: ["*.tags"] }),
      GET,
      json([{ tags: [1] }, { other: 2 }]),
    );
    expect(r.body).toEqual([{ tags: [1] }]);
  });
  it("never mutates the input", () => {
    const input = structuredClone(doc);
    filterResponse(
      policyWith({ allowFields: ["id"], denyFields: ["id"], redactPii: { types: "all" } }),
      GET,
      json(input),
    );
    expect(input).toEqual(doc);
  });
});

describe("denyFields", () => {
  it.each([
    ["a top-level key", ["secret"], (d: typeof doc) => ({ id: d.id, owner: d.owner, items: d.items })],
    [
      "a nested key",
      ["owner.email"],
      (d: typeof doc) => ({ ...d, owner: { id: "u1", name: "Ann", address: d.owner.address } }),
    ],
    [
      "* over array indexes",
      ["items.*.meta"],
      (d: typeof doc) => ({
        ...d,
        items: [
          { id: "a", title: "first" },
          { id: "b", title: "second", tags: [{ id: "t1", secret: "x" }] },
        ],
      }),
    ],
    [
      "** at any depth",
      ["**.secret"],
      (d: typeof doc) => ({
        id: "1",
        owner: d.owner,
        items: [
          { id: "a", title: "first", meta: { id: "m1" } },
          { id: "b", title: "second", meta: { id: "m2" }, tags: [{ id: "t1" }] },
        ],
      }),
    ],
    ["a literal array index", ["items.0"], (d: typeof doc) => ({ ...d, items: [d.items[1]] })],
    ["a path that matches nothing", ["nope"], (d: typeof doc) => d],
    ["** alone empties the document", ["**"], () => ({})],
  ])("%s", (_name, denyFields, expected) => {
    const r = filterResponse(policyWith({ denyFields }), GET, json(doc));
    expect(r.body).toEqual(expected(doc));
  });

  it("applies allowFields before denyFields, and rules in order", () => {
    const policy = compilePolicy({
      ...base,
      responseRules: [
        { id: "keep", transform: { allowFields: ["items.*.meta"], denyFields: ["items.*.meta.secret"] } },
        { id: "pii", transform: { redactPii: { types: ["email"] } } },
        { id: "other-path", match: { path: "/v2/**" }, transform: { denyFields: ["items"] } },
      ],
    });
    const r = filterResponse(policy, GET, json(doc));
    expect(r.body).toEqual({ items: [{ meta: { id: "m1" } }, { meta: { id: "m2" } }] });
    expect(r.appliedRuleIds).toEqual(["keep", "pii"]);
  });
});

describe("redactPii", () => {
  it("redacts inside string leaves and reports paths", () => {
    const r = filterResponse(
      policyWith({ redactPii: { types: "all" } }),
      GET,
      json({
        a: ["write to ann@example.com"],
        b: { c: "card 4111111111111111" },
        n: 4111111111111111,
        k: true,
      }),
    );
    expect(r.body).toEqual({
      a: ["write to [REDACTED:email]"],
      b: { c: "card [REDACTED:credit_card]" },
      n: 4111111111111111,
      k: true,
    });
    expect(r.redactions).toEqual([
      { path: "a.0", type: "email" },
      { path: "b.c", type: "credit_card" },
    ]);
  });
  it("redacts object keys that are personal data, keeping two such keys apart", () => {
    const r = filterResponse(
      policyWith({ redactPii: { types: ["email"] } }),
      GET,
      json({ attendees: { "ann@example.com": "yes", "bob@example.com": { note: "maybe" } }, plain: 1 }),
    );
    expect(r.body).toEqual({
      attendees: { "[REDACTED:email]": "yes", "[REDACTED:email]#2": { note: "maybe" } },
      plain: 1,
    });
    expect(r.redactions).toEqual([
      { path: "attendees.[REDACTED:email]", type: "email" },
      { path: "attendees.[REDACTED:email]#2", type: "email" },
    ]);
  });
  it("uses the phone region option", () => {
    const p = policyWith({ redactPii: { types: ["phone"] } });
    expect(filterResponse(p, GET, json({ t: "(415) 555-2671" })).body).toEqual({ t: "(415) 555-2671" });
    expect(filterResponse(p, GET, json({ t: "(415) 555-2671" }), { phoneRegion: "US" }).body).toEqual({
      t: "[REDACTED:phone]",
    });
  });
  it("handles a __proto__ key as data", () => {
    const body = JSON.parse('{"__proto__": {"email": "a@b.co"}, "x": 1}');
    const r = filterResponse(policyWith({ redactPii: { types: ["email"] } }), GET, json(body));
    expect(Object.getPrototypeOf(r.body)).toBe(Object.prototype);
    expect(JSON.stringify(r.body)).toBe('{"__proto__":{"email":"[REDACTED:email]"},"x":1}');
  });
});

describe("rule matching", () => {
  const policy = compilePolicy({
    ...base,
    responseRules: [
      { id: "posts", match: { methods: ["POST"], path: "/v1/**" }, transform: { denyFields: ["secret"] } },
      { id: "items", match: { path: "/v1/items/*" }, transform: { denyFields: ["id"] } },
    ],
  });
  it("applies only rules whose method and path fit", () => {
    expect(filterResponse(policy, GET, json({ id: 1, secret: 2 })).body).toEqual({ id: 1, secret: 2 });
    expect(filterResponse(policy, { ...GET, method: "POST" }, json({ id: 1, secret: 2 })).body).toEqual({
      id: 1,
    });
    expect(
      filterResponse(
        policy,
        { method: "get", url: "https://api.example.com/v1/items/7" },
        json({ id: 1, secret: 2 }),
      ).body,
    ).toEqual({
      secret: 2,
    });
  });
  it("passes any body through, untouched, when no rule applies", () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const r = filterResponse(policy, GET, { status: 200, contentType: "image/png", body: png });
    expect(r).toEqual({ body: png, redactions: [] });
  });
  it("applies every rule when the request URL cannot be read (fail closed)", () => {
    const r = filterResponse(policy, { method: "GET", url: "not a url" }, json({ id: 1, secret: 2 }));
    expect(r.body).toEqual({ secret: 2 });
  });
});

describe("fail closed: RESPONSE_UNFILTERABLE", () => {
  const p = policyWith({ denyFields: ["secret"] }, { limits: { maxResponseBytes: 64 } });
  const blocked = { code: "RESPONSE_UNFILTERABLE" };
  it.each([
    ["an HTML body", { contentType: "text/html", body: "<p>ann@example.com</p>" }],
    ["a plain-text body", { contentType: "text/plain", body: "secret" }],
    ["a binary body", { contentType: "application/octet-stream", body: new Uint8Array([1, 2, 3]) }],
    ["no content type", { contentType: null, body: '{"secret":1}' }],
    ["JSON that does not parse", { contentType: "application/json", body: "{not json" }],
    [
      "JSON bytes that are not UTF-8",
      { contentType: "application/json", body: new Uint8Array([0x7b, 0xff, 0x7d]) },
    ],
    ["a body over maxResponseBytes", { contentType: "application/json", body: { secret: "x".repeat(100) } }],
    [
      "a declared size over maxResponseBytes",
      { contentType: "application/json", body: { a: 1 }, bodyBytes: 65 },
    ],
    ["an NDJSON line that is not JSON", { contentType: "application/x-ndjson", body: '{"a":1}\nnope\n' }],
    ["an SSE event whose data is not JSON", { contentType: "text/event-stream", body: "data: hello\n\n" }],
    ["a parsed object declared as NDJSON", { contentType: "application/x-ndjson", body: { a: 1 } }],
  ])("blocks %s", (_name, response) => {
    const r = filterResponse(p, GET, { status: 200, ...response });
    expect(r.blocked).toEqual(blocked);
    expect(r.body).toBeNull();
    expect(r.reason).toBeTruthy();
  });
  it("blocks a document nested too deeply to walk", () => {
    let deep: unknown = { secret: 1 };
    for (let i = 0; i < 600; i++) deep = { a: deep };
    const deny = policyWith({ denyFields: ["**.secret"] });
    expect(filterResponse(deny, GET, json(deep)).blocked).toEqual(blocked);
    expect(
      filterResponse(deny, GET, {
        status: 200,
        contentType: "application/x-ndjson",
        body: JSON.stringify(deep),
      }).blocked,
    ).toEqual(blocked);
    // A transform that never needs to descend that far still works.
    expect(filterResponse(policyWith({ denyFields: ["a"] }), GET, json(deep)).body).toEqual({});
  });
  it("blocks when the stored policy is invalid", () => {
    expect(filterResponse({ version: 2 }, GET, json({})).blocked).toEqual(blocked);
  });
  it("applies the 10 MiB default cap when the policy sets none", () => {
    const big = { contentType: "application/json", body: { a: 1 }, bodyBytes: 10 * 1024 * 1024 + 1 };
    expect(filterResponse(policyWith({ denyFields: ["a"] }), GET, { status: 200, ...big }).blocked).toEqual(
      blocked,
    );
  });
  it("parses raw JSON text and bytes, and passes an empty body", () => {
    expect(filterResponse(p, GET, json('{"secret":1,"a":2}')).body).toEqual({ a: 2 });
    expect(filterResponse(p, GET, json(new TextEncoder().encode('{"secret":1,"a":2}'))).body).toEqual({
      a: 2,
    });
    expect(
      filterResponse(p, GET, { status: 204, contentType: "application/json", body: "" }).blocked,
    ).toBeUndefined();
    expect(
      filterResponse(p, GET, {
        status: 200,
        contentType: "application/problem+json; charset=utf-8",
        body: { secret: 1 },
      }).body,
    ).toEqual({});
  });
});

describe("streams (NDJSON and SSE)", () => {
  const p = policyWith({ denyFields: ["secret"], redactPii: { types: ["email"] } });
  it("filters NDJSON line by line", () => {
    const r = filterResponse(p, GET, {
      status: 200,
      contentType: "application/x-ndjson",
      body: '{"a":1,"secret":2}\n\n{"e":"x@example.com"}',
    });
    expect(r.body).toBe('{"a":1}\n\n{"e":"[REDACTED:email]"}');
    expect(r.redactions).toEqual([{ path: "1.e", type: "email" }]);
  });
  it("filters SSE events and keeps [DONE], event and id fields; drops comments", () => {
    const body =
      ': keep-alive\nevent: delta\nid: 7\ndata: {"text":"mail x@example.com","secret":1}\n\ndata: [DONE]\n\n';
    const r = filterResponse(p, GET, { status: 200, contentType: "text/event-stream", body });
    expect(r.body).toBe('event: delta\nid: 7\ndata: {"text":"mail [REDACTED:email]"}\n\ndata: [DONE]\n\n');
  });
  it("joins multi-line SSE data before parsing", () => {
    const body = 'data: {"a":\ndata: 1, "secret": 2}\n\n';
    const r = filterResponse(p, GET, { status: 200, contentType: "text/event-stream", body });
    expect(r.body).toBe('data: {"a":1}\n\n');
  });
  it("filters incrementally with a UTF-8-safe decoder, across chunk boundaries", () => {
    const f = createResponseStreamFilter(p, GET, "text/event-stream");
    if (!f) throw new Error("expected a filter");
    const bytes = new TextEncoder().encode(
      'data: {"t":"été x@example.com","secret":1}\r\n\r\ndata: {"t":"ok"}\n\n',
    );
    let out = "";
    for (let i = 0; i < bytes.length; i += 3) {
      const r = f.push(bytes.slice(i, i + 3));
      expect(r.blocked).toBeUndefined();
      out += r.text;
    }
    out += f.end().text;
    expect(out).toBe('data: {"t":"été [REDACTED:email]"}\n\ndata: {"t":"ok"}\n\n');
  });
  it("keeps the standard SSE fields and drops any other (clients ignore them, and they are not filtered)", () => {
    const f = createResponseStreamFilter(p, GET, "text/event-stream");
    if (!f) throw new Error("expected a filter");
    const out =
      f.push(
        'event: delta\nid: 7\nretry: 1000\nData: {"t":"x@example.com"}\nx-debug: ann@example.com\nretry: soon\ndata: {"t":"ok"}\n\n',
      ).text + f.end().text;
    expect(out).toBe('event: delta\nid: 7\nretry: 1000\ndata: {"t":"ok"}\n\n');
  });
  it("blocks the rest of a stream once a chunk is unfilterable", () => {
    const f = createResponseStreamFilter(p, GET, "application/x-ndjson");
    if (!f) throw new Error("expected a filter");
    expect(f.push('{"a":1}\n').text).toBe('{"a":1}\n');
    expect(f.push("oops\n").blocked).toEqual({ code: "RESPONSE_UNFILTERABLE" });
    expect(f.push('{"a":1}\n').blocked).toEqual({ code: "RESPONSE_UNFILTERABLE" });
  });
  it("returns null (pass through) when no rule applies, and blocks other stream types", () => {
    const none = compilePolicy(base);
    expect(createResponseStreamFilter(none, GET, "text/event-stream")).toBeNull();
    expect(createResponseStreamFilter(p, GET, "text/plain")?.push("x").blocked).toEqual({
      code: "RESPONSE_UNFILTERABLE",
    });
  });
});
