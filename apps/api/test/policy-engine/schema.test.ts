import { effectiveDefaultAction, PolicyDocumentSchema } from "@agenthifive/contracts";
import { describe, expect, it } from "vitest";
import {
  compilePolicy,
  PolicyValidationError,
  tryCompilePolicy,
} from "../../src/modules/policies/engine/index.js";

const minimal = { version: 1 };
const slack = { origin: "https://slack.com", paths: ["/api/**"], methods: ["GET"] };

/** The messages the schema gives for a document (joined), or "" when it is valid. */
function problems(doc: unknown): string {
  const r = PolicyDocumentSchema.safeParse(doc);
  return r.success ? "" : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n");
}

describe("PolicyDocumentSchema defaults (POLICY.md §1)", () => {
  it("applies every default to a minimal document", () => {
    expect(PolicyDocumentSchema.parse(minimal)).toEqual({
      version: 1,
      allowedModels: ["B"],
      defaultMode: "read_only",
      allowlists: [],
      requestRules: [],
      responseRules: [],
      modelA: { maxTtlSeconds: 600 },
      approval: { ttlSeconds: 1800 },
    });
  });
  it("derives defaultAction from defaultMode", () => {
    expect(effectiveDefaultAction({ defaultMode: "read_only" }, "GET")).toBe("allow");
    expect(effectiveDefaultAction({ defaultMode: "read_only" }, "head")).toBe("allow");
    expect(effectiveDefaultAction({ defaultMode: "read_only" }, "POST")).toBe("deny");
    expect(effectiveDefaultAction({ defaultMode: "read_only" })).toBe("deny");
    expect(effectiveDefaultAction({ defaultMode: "read_write" }, "DELETE")).toBe("allow");
    expect(effectiveDefaultAction({ defaultMode: "custom" }, "GET")).toBe("deny");
    expect(effectiveDefaultAction({ defaultMode: "custom", defaultAction: "require_approval" }, "GET")).toBe(
      "require_approval",
    );
  });
  it("upper-cases methods", () => {
    const doc = PolicyDocumentSchema.parse({
      version: 1,
      allowlists: [{ ...slack, methods: ["get", "Post"] }],
    });
    expect(doc.allowlists[0]?.methods).toEqual(["GET", "POST"]);
  });
  it("accepts a full document", () => {
    const full = {
      version: 1,
      allowedModels: ["A", "B"],
      defaultMode: "custom",
      defaultAction: "require_approval",
      allowlists: [slack, { origin: "https://[2001:db8::1]:8443", paths: ["/"], methods: ["GET"] }],
      requestRules: [
        {
          id: "r1",
          label: "Post to listed channels",
          match: {
            methods: ["POST"],
            path: "/api/chat.postMessage",
            query: { pretty: "*" },
            headers: { "X-Mode": "dry-*" },
            body: [
              { path: "channel", op: "in", value: ["C1"] },
              { path: "text", op: "matches", value: "^\\p{L}+$" },
              { path: "attachments", op: "not_exists" },
              { path: "n", op: "lt", value: 10 },
              { path: "tags.*", op: "eq", value: { nested: [1, null] } },
            ],
          },
          action: "allow",
          shadow: false,
          hint: "Ask first.",
        },
      ],
      responseRules: [
        {
          id: "t1",
          match: { methods: ["GET"], path: "/api/**" },
          transform: { allowFields: ["**.id"], denyFields: ["a.*"] },
        },
        { id: "t2", transform: { redactPii: { types: "all" } } },
      ],
      timeWindows: [{ days: ["mon", "sun"], start: "22:00", end: "24:00", timezone: "America/New_York" }],
      limits: {
        maxRequestBytes: 1000,
        maxResponseBytes: 2000,
        rateLimit: { requests: 10, windowSeconds: 60 },
        budget: { requestsPerDay: 100 },
      },
      modelA: { maxTtlSeconds: 300, scopes: ["s1"] },
      approval: { ttlSeconds: 600 },
    };
    expect(problems(full)).toBe("");
    expect(() => compilePolicy(full)).not.toThrow();
  });
});

describe("strictness and helpful messages", () => {
  it.each<[string, unknown, RegExp]>([
    ["unknown top-level key (typo)", { ...minimal, requestRule: [] }, /requestRule/],
    [
      "unknown rule key",
      { ...minimal, requestRules: [{ id: "r", match: {}, action: "allow", shadwo: true }] },
      /shadwo/,
    ],
    [
      "unknown match key",
      { ...minimal, requestRules: [{ id: "r", match: { method: ["GET"] }, action: "allow" }] },
      /method/,
    ],
    [
      "unknown transform key",
      { ...minimal, responseRules: [{ id: "t", transform: { alowFields: ["a"] } }] },
      /alowFields/,
    ],
    ["wrong version", { version: 2 }, /version must be 1/],
    ["bad action", { ...minimal, requestRules: [{ id: "r", match: {}, action: "permit" }] }, /action/],
    [
      "path pattern without leading slash",
      { ...minimal, allowlists: [{ ...slack, paths: ["api/**"] }] },
      /must start with "\/"/,
    ],
    [
      "path pattern with partial wildcard",
      { ...minimal, allowlists: [{ ...slack, paths: ["/api/chat.*"] }] },
      /whole segments/,
    ],
    [
      "path pattern with empty segment",
      { ...minimal, allowlists: [{ ...slack, paths: ["/api//x"] }] },
      /empty segment/,
    ],
    [
      "path pattern with ..",
      { ...minimal, allowlists: [{ ...slack, paths: ["/api/../x"] }] },
      /"\." or "\.\."/,
    ],
    [
      "path pattern with a query",
      { ...minimal, allowlists: [{ ...slack, paths: ["/api?x=1"] }] },
      /match\.query/,
    ],
    [
      "origin with a path",
      { ...minimal, allowlists: [{ ...slack, origin: "https://slack.com/api" }] },
      /scheme:\/\/host\[:port\]/,
    ],
    [
      "origin without scheme",
      { ...minimal, allowlists: [{ ...slack, origin: "slack.com" }] },
      /scheme:\/\/host\[:port\]/,
    ],
    [
      "origin with userinfo",
      { ...minimal, allowlists: [{ ...slack, origin: "https://u@slack.com" }] },
      /scheme:\/\/host\[:port\]/,
    ],
    [
      "origin with another scheme",
      { ...minimal, allowlists: [{ ...slack, origin: "ftp://slack.com" }] },
      /scheme must be https/,
    ],
    [
      "allowlist without methods",
      { ...minimal, allowlists: [{ ...slack, methods: [] }] },
      /at least one method/,
    ],
    ["bad method", { ...minimal, allowlists: [{ ...slack, methods: ["GET /x"] }] }, /HTTP method/],
    [
      "regex that does not compile with u",
      {
        ...minimal,
        requestRules: [
          { id: "r", match: { body: [{ path: "a", op: "matches", value: "\\-(" }] }, action: "allow" },
        ],
      },
      /u flag/,
    ],
    [
      "invalid escape under u",
      {
        ...minimal,
        requestRules: [
          { id: "r", match: { body: [{ path: "a", op: "matches", value: "\\q" }] }, action: "allow" },
        ],
      },
      /u flag/,
    ],
    [
      "unknown op",
      {
        ...minimal,
        requestRules: [{ id: "r", match: { body: [{ path: "a", op: "like", value: 1 }] }, action: "allow" }],
      },
      /op must be one of/,
    ],
    [
      "eq without value",
      {
        ...minimal,
        requestRules: [{ id: "r", match: { body: [{ path: "a", op: "eq" }] }, action: "allow" }],
      },
      /value/,
    ],
    [
      "in with a scalar",
      {
        ...minimal,
        requestRules: [{ id: "r", match: { body: [{ path: "a", op: "in", value: "x" }] }, action: "allow" }],
      },
      /value/,
    ],
    [
      "exists with a value",
      {
        ...minimal,
        requestRules: [
          { id: "r", match: { body: [{ path: "a", op: "exists", value: 1 }] }, action: "allow" },
        ],
      },
      /value/,
    ],
    [
      "gt with a string",
      {
        ...minimal,
        requestRules: [{ id: "r", match: { body: [{ path: "a", op: "gt", value: "1" }] }, action: "allow" }],
      },
      /value/,
    ],
    [
      "field path with empty segment",
      { ...minimal, responseRules: [{ id: "t", transform: { denyFields: ["a..b"] } }] },
      /empty segment/,
    ],
    [
      "field path with partial wildcard",
      { ...minimal, responseRules: [{ id: "t", transform: { denyFields: ["a.b*"] } }] },
      /whole segments/,
    ],
    ["empty transform", { ...minimal, responseRules: [{ id: "t", transform: {} }] }, /at least one of/],
    [
      "unknown PII type",
      { ...minimal, responseRules: [{ id: "t", transform: { redactPii: { types: ["passport"] } } }] },
      /types|passport|email/,
    ],
    [
      "invalid timezone",
      {
        ...minimal,
        timeWindows: [{ days: ["mon"], start: "09:00", end: "17:00", timezone: "Mars/Olympus" }],
      },
      /IANA time zone/,
    ],
    [
      "offset instead of a zone",
      { ...minimal, timeWindows: [{ days: ["mon"], start: "09:00", end: "17:00", timezone: "+01:00" }] },
      /IANA time zone/,
    ],
    [
      "start not HH:MM",
      { ...minimal, timeWindows: [{ days: ["mon"], start: "9:00", end: "17:00", timezone: "UTC" }] },
      /start must be HH:MM/,
    ],
    [
      "end not HH:MM",
      { ...minimal, timeWindows: [{ days: ["mon"], start: "09:00", end: "25:00", timezone: "UTC" }] },
      /end must be HH:MM/,
    ],
    [
      "start equals end",
      { ...minimal, timeWindows: [{ days: ["mon"], start: "09:00", end: "09:00", timezone: "UTC" }] },
      /must differ/,
    ],
    [
      "bad day",
      { ...minimal, timeWindows: [{ days: ["monday"], start: "09:00", end: "17:00", timezone: "UTC" }] },
      /days/,
    ],
    [
      "duplicate rule ids",
      {
        ...minimal,
        requestRules: [
          { id: "r", match: {}, action: "allow" },
          { id: "r", match: {}, action: "deny" },
        ],
      },
      /must be unique/,
    ],
    [
      "rule id shared by a response rule",
      {
        ...minimal,
        requestRules: [{ id: "r", match: {}, action: "allow" }],
        responseRules: [{ id: "r", transform: { denyFields: ["a"] } }],
      },
      /must be unique/,
    ],
    [
      "empty rule id",
      { ...minimal, requestRules: [{ id: "", match: {}, action: "allow" }] },
      /must not be empty/,
    ],
    ["no models", { ...minimal, allowedModels: [] }, /allowedModels/],
    ["unknown model", { ...minimal, allowedModels: ["C"] }, /allowedModels/],
    ["TTL over an hour", { ...minimal, modelA: { maxTtlSeconds: 7200 } }, /maxTtlSeconds/],
    ["negative limit", { ...minimal, limits: { maxRequestBytes: -1 } }, /maxRequestBytes/],
    ["unknown limit", { ...minimal, limits: { maxBytes: 1 } }, /maxBytes/],
  ])("%s", (_name, doc, message) => {
    const text = problems(doc);
    expect(text).not.toBe("");
    expect(text).toMatch(message);
  });

  it("compilePolicy throws PolicyValidationError with issues; tryCompilePolicy never throws", () => {
    const bad = { ...minimal, allowlists: [{ ...slack, paths: ["api"] }] };
    expect(() => compilePolicy(bad)).toThrow(PolicyValidationError);
    const r = tryCompilePolicy(bad);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]).toMatchObject({ path: "allowlists.0.paths.0", code: "custom" });
    expect(tryCompilePolicy(null).ok).toBe(false);
    expect(tryCompilePolicy("policy").ok).toBe(false);
  });
});
