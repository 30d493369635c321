import { describe, expect, it } from "vitest";
import {
  compilePolicy,
  evaluateRequest,
  type PolicyContext,
  type PolicyRequest,
} from "../../src/modules/policies/engine/index.js";

const now = "2026-11-30T10:00:00.000Z";
const ctx: PolicyContext = { now };
const slack = { origin: "https://slack.com", paths: ["/api/**"], methods: ["GET", "POST"] };
const policy = (extra: Record<string, unknown>) =>
  compilePolicy({ version: 1, allowlists: [slack], ...extra });
const post = (body: unknown, extra: Partial<PolicyRequest> = {}): PolicyRequest => ({
  model: "B",
  method: "POST",
  url: "https://slack.com/api/chat.postMessage",
  body,
  ...extra,
});

describe("shadow rules", () => {
  const p = policy({
    defaultMode: "custom",
    requestRules: [
      { id: "s1", shadow: true, match: { methods: ["POST"] }, action: "deny" },
      { id: "s-miss", shadow: true, match: { methods: ["DELETE"] }, action: "deny" },
      { id: "s2", shadow: true, match: { path: "/api/**" }, action: "require_approval" },
      { id: "decide", match: { path: "/api/chat.postMessage" }, action: "allow" },
      { id: "s-after", shadow: true, match: {}, action: "deny" },
    ],
  });
  it("records every matching shadow rule before the deciding rule, in order", () => {
    const d = evaluateRequest(p, post({ a: 1 }), ctx);
    expect(d).toMatchObject({ decision: "allow", ruleId: "decide" });
    expect(d.shadow).toEqual([
      { ruleId: "s1", wouldBe: "deny" },
      { ruleId: "s2", wouldBe: "require_approval" },
    ]);
  });
  it("records shadow rules when the default decides", () => {
    const d = evaluateRequest(p, post({ a: 1 }, { url: "https://slack.com/api/other" }), ctx);
    expect(d).toMatchObject({ decision: "deny", code: "POLICY_DENIED" });
    expect(d.ruleId).toBeUndefined();
    expect(d.shadow.map((s) => s.ruleId)).toEqual(["s1", "s2", "s-after"]);
  });
  it("never decides, even when it is the only match", () => {
    const only = policy({
      defaultMode: "read_write",
      requestRules: [{ id: "s", shadow: true, match: {}, action: "deny" }],
    });
    expect(evaluateRequest(only, post({}), ctx).decision).toBe("allow");
  });
  it("is empty when an earlier step decides", () => {
    expect(evaluateRequest(p, post({}, { url: "https://evil.com/api/x" }), ctx).shadow).toEqual([]);
  });
  it("keeps the shadow list when the rate limit denies", () => {
    const limited = policy({
      defaultMode: "read_write",
      limits: { rateLimit: { requests: 1, windowSeconds: 60 } },
      requestRules: [{ id: "s", shadow: true, match: {}, action: "deny" }],
    });
    const d = evaluateRequest(limited, post({}), { now, usage: { requestsInWindow: 1 } });
    expect(d).toMatchObject({ code: "RATE_LIMITED", shadow: [{ ruleId: "s", wouldBe: "deny" }] });
  });
});

function evaluateRequestCtx(p: unknown, r: PolicyRequest) {
  return evaluateRequest(p, r, ctx);
}

describe("request rule conditions", () => {
  const withBody = (op: string, path: string, value?: unknown) =>
    policy({
      defaultMode: "custom",
      requestRules: [
        {
          id: "r",
          match: { body: [value === undefined ? { path, op } : { path, op, value }] },
          action: "allow",
        },
      ],
    });
  const holds = (p: ReturnType<typeof policy>, body: unknown, extra: Partial<PolicyRequest> = {}) =>
    evaluateRequestCtx(p, post(body, extra)).ruleId === "r";
  const body = {
    channel: "C1",
    n: 5,
    tags: ["a", "b"],
    text: "hello world",
    user: { id: "U1" },
    list: [{ id: 1 }, { id: 2 }],
  };

  it.each([
    ["eq", "channel", "C1", true],
    ["eq", "channel", "C2", false],
    ["eq", "user", { id: "U1" }, true],
    ["neq", "channel", "C2", true],
    ["neq", "channel", "C1", false],
    ["neq", "missing", "x", false],
    ["in", "channel", ["C1", "C2"], true],
    ["in", "channel", ["C3"], false],
    ["not_in", "channel", ["C3"], true],
    ["not_in", "channel", ["C1"], false],
    ["matches", "text", "^hello\\s\\w+$", true],
    ["matches", "text", "^bye", false],
    ["matches", "n", "5", false],
    ["exists", "user.id", undefined, true],
    ["exists", "user.name", undefined, false],
    ["not_exists", "user.name", undefined, true],
    ["not_exists", "user.id", undefined, false],
    ["contains", "text", "world", true],
    ["contains", "tags", "b", true],
    ["contains", "tags", "c", false],
    ["contains", "user", "id", false],
    ["gt", "n", 4, true],
    ["gt", "n", 5, false],
    ["lt", "n", 6, true],
    ["lt", "channel", 6, false],
    ["eq", "list.*.id", 2, true],
    ["neq", "list.*.id", 2, false],
    ["not_in", "list.*.id", [3], true],
    ["eq", "**.id", "U1", true],
    ["exists", "list.1.id", undefined, true],
  ])("%s %s %j → %s", (op, path, value, expected) => {
    expect(holds(withBody(op, path, value), body)).toBe(expected);
  });

  it("a non-JSON body satisfies only not_exists", () => {
    const raw = { body: undefined, bodyBase64: "aGVsbG8=", headers: { "content-type": "text/plain" } };
    expect(holds(withBody("not_exists", "channel"), undefined, raw)).toBe(true);
    expect(holds(withBody("exists", "channel"), undefined, raw)).toBe(false);
    expect(holds(withBody("neq", "channel", "x"), undefined, raw)).toBe(false);
    expect(holds(withBody("not_in", "channel", ["x"]), undefined, raw)).toBe(false);
    expect(holds(withBody("not_exists", "channel"), undefined)).toBe(true);
  });
  it("refuses a body nested too deeply for body conditions, and ignores depth without them", () => {
    let deep: unknown = { channel: "C1" };
    for (let i = 0; i < 600; i++) deep = { a: deep };
    expect(evaluateRequestCtx(withBody("exists", "**.channel"), post(deep)).code).toBe("INVALID_REQUEST");
    expect(evaluateRequestCtx(policy({ defaultMode: "read_write" }), post(deep)).decision).toBe("allow");
  });
  it("reads a raw body declared as JSON", () => {
    const raw = {
      body: undefined,
      bodyBase64: Buffer.from('{"channel":"C1"}').toString("base64"),
      headers: { "Content-Type": "application/json" },
    };
    expect(holds(withBody("eq", "channel", "C1"), undefined, raw)).toBe(true);
  });

  it("matches query values (decoded, any occurrence) and headers (case-insensitive names) with globs", () => {
    const p = policy({
      defaultMode: "custom",
      requestRules: [
        { id: "q", match: { query: { q: "from:*@example.com" } }, action: "allow" },
        { id: "h", match: { headers: { "X-Mode": "dry-*" } }, action: "allow" },
      ],
    });
    const get = (url: string, headers?: Record<string, string>) =>
      evaluateRequestCtx(p, { model: "B", method: "GET", url, headers }).ruleId;
    expect(get("https://slack.com/api/s?q=from%3Aann%40example.com")).toBe("q");
    expect(get("https://slack.com/api/s?q=x&q=from:bob@example.com")).toBe("q");
    expect(get("https://slack.com/api/s?q=from:bob@example.org")).toBeUndefined();
    expect(get("https://slack.com/api/s", { "x-mode": "dry-run" })).toBe("h");
    expect(get("https://slack.com/api/s", { "X-MODE": "wet" })).toBeUndefined();
  });

  it("matches methods and path patterns; the first non-shadow match wins", () => {
    const p = policy({
      defaultMode: "custom",
      requestRules: [
        {
          id: "deny-admin-tree",
          match: { path: "/api/admin/**" },
          action: "deny",
          hint: "Admin calls are off limits.",
        },
        { id: "get-any", match: { methods: ["get"] }, action: "allow" },
        { id: "post-one", match: { methods: ["POST"], path: "/api/*" }, action: "require_approval" },
      ],
    });
    const run = (method: string, path: string) =>
      evaluateRequestCtx(p, { model: "B", method, url: `https://slack.com${path}` });
    expect(run("GET", "/api/admin/users")).toMatchObject({
      ruleId: "deny-admin-tree",
      code: "POLICY_DENIED",
      hint: "Admin calls are off limits.",
    });
    expect(run("GET", "/api/x/y")).toMatchObject({ decision: "allow", ruleId: "get-any" });
    expect(run("POST", "/api/x")).toMatchObject({
      decision: "require_approval",
      ruleId: "post-one",
      code: "APPROVAL_REQUIRED",
    });
    expect(run("POST", "/api/x/y")).toMatchObject({ decision: "deny", code: "POLICY_DENIED" });
  });
});

describe("defaults of §1", () => {
  const get = (p: unknown, method: string) =>
    evaluateRequestCtx(p, { model: "B", method, url: "https://slack.com/api/x" });
  it.each([
    ["read_only", "GET", "allow"],
    ["read_only", "HEAD", "allow"],
    ["read_only", "OPTIONS", "allow"],
    ["read_only", "DELETE", "deny"],
    ["read_write", "DELETE", "allow"],
    ["custom", "GET", "deny"],
  ])("%s %s → %s", (mode, method, decision) => {
    const p = {
      version: 1,
      defaultMode: mode,
      allowlists: [{ ...slack, methods: ["GET", "HEAD", "OPTIONS", "DELETE"] }],
    };
    expect(get(p, method).decision).toBe(decision);
  });
  it("defaultMode is read_only and defaultAction overrides it", () => {
    const p = { version: 1, allowlists: [slack] };
    expect(get(p, "GET").decision).toBe("allow");
    expect(get(p, "POST").decision).toBe("deny");
    expect(get({ ...p, defaultAction: "require_approval" }, "GET").decision).toBe("require_approval");
  });
  it("an empty allowlist reaches nothing", () => {
    expect(get({ version: 1, defaultMode: "read_write" }, "GET")).toMatchObject({
      code: "HOST_NOT_ALLOWLISTED",
    });
  });
  it("only Model B is allowed by default", () => {
    expect(evaluateRequestCtx({ version: 1 }, { model: "A" }).code).toBe("MODEL_NOT_ALLOWED");
  });
});

describe("Model A (§3 step 2)", () => {
  const a = policy({
    allowedModels: ["A", "B"],
    defaultMode: "read_write",
    modelA: { maxTtlSeconds: 300, scopes: ["gmail.readonly"] },
  });
  const vend = (p: unknown, c: Partial<PolicyContext>, scopes?: string[]) =>
    evaluateRequest(p, { model: "A", scopes }, { now, ...c });
  it("vends only for OAuth-style connections", () => {
    expect(vend(a, { connectionAuthType: "oauth" }).decision).toBe("allow");
    expect(vend(a, { connectionAuthType: "device" }).decision).toBe("allow");
    for (const t of ["api_key", "bot_token", undefined]) {
      const d = vend(a, { connectionAuthType: t });
      expect(d).toMatchObject({ decision: "deny", code: "MODEL_NOT_ALLOWED" });
      expect(d.hint).toMatch(/model B/);
    }
  });
  it("limits scopes to modelA.scopes", () => {
    expect(vend(a, { connectionAuthType: "oauth" }, ["gmail.readonly"]).decision).toBe("allow");
    expect(vend(a, { connectionAuthType: "oauth" }, ["gmail.send"])).toMatchObject({
      code: "SCOPE_NOT_GRANTED",
    });
  });
  it("skips URL, allowlist and size checks but not rules, windows or limits", () => {
    const limited = policy({
      allowedModels: ["A"],
      defaultMode: "read_write",
      limits: { budget: { requestsPerDay: 5 }, maxRequestBytes: 1 },
      requestRules: [
        { id: "no-tokens", match: { body: [{ path: "x", op: "not_exists" }] }, action: "require_approval" },
      ],
    });
    expect(vend(limited, { connectionAuthType: "oauth" })).toMatchObject({
      decision: "require_approval",
      ruleId: "no-tokens",
    });
    expect(vend(limited, { connectionAuthType: "oauth", usage: { requestsToday: 5 } }).code).toBe(
      "BUDGET_EXCEEDED",
    );
  });
  it("fails closed under read_only without a rule (a token is not read-only)", () => {
    const ro = policy({ allowedModels: ["A"] });
    expect(vend(ro, { connectionAuthType: "oauth" })).toMatchObject({
      decision: "deny",
      code: "POLICY_DENIED",
    });
  });
});

describe("order of the steps", () => {
  const p = policy({
    allowedModels: ["B"],
    defaultMode: "read_write",
    allowlists: [{ ...slack, methods: ["GET", "POST", "DELETE"] }],
    limits: {
      maxRequestBytes: 10,
      rateLimit: { requests: 1, windowSeconds: 60 },
      budget: { requestsPerDay: 1 },
    },
    timeWindows: [{ days: ["sat"], start: "00:00", end: "24:00", timezone: "UTC" }],
    requestRules: [{ id: "deny-delete", match: { methods: ["DELETE"] }, action: "deny" }],
  });
  const saturday: PolicyContext = { now: "2026-11-28T10:00:00Z" };
  const code = (r: PolicyRequest, c: PolicyContext = saturday) => evaluateRequest(p, r, c).code;
  it("model → URL → SSRF → allowlist → size → window → rules → rate → budget", () => {
    expect(code({ model: "A", url: "nonsense" })).toBe("MODEL_NOT_ALLOWED");
    expect(code({ model: "B", method: "GET", url: "http://127.0.0.1/x" })).toBe("INVALID_URL");
    expect(code({ model: "B", method: "GET", url: "https://127.0.0.1/x" })).toBe("SSRF_BLOCKED");
    expect(code({ model: "B", method: "GET", url: "https://other.com/x", bodyBytes: 99 })).toBe(
      "HOST_NOT_ALLOWLISTED",
    );
    expect(code({ model: "B", method: "POST", url: "https://slack.com/api/x", bodyBytes: 11 }, ctx)).toBe(
      "PAYLOAD_TOO_LARGE",
    );
    expect(code({ model: "B", method: "POST", url: "https://slack.com/api/x", bodyBytes: 10 }, ctx)).toBe(
      "OUTSIDE_TIME_WINDOW",
    );
    expect(
      code(
        { model: "B", method: "GET", url: "https://slack.com/api/x" },
        { ...saturday, usage: { requestsInWindow: 1, requestsToday: 1 } },
      ),
    ).toBe("RATE_LIMITED");
    expect(
      code(
        { model: "B", method: "GET", url: "https://slack.com/api/x" },
        { ...saturday, usage: { requestsToday: 1 } },
      ),
    ).toBe("BUDGET_EXCEEDED");
  });
  it("does not count denied requests against limits", () => {
    const d = evaluateRequest(
      p,
      { model: "B", method: "DELETE", url: "https://slack.com/api/x" },
      { ...saturday, usage: { requestsInWindow: 9, requestsToday: 9 } },
    );
    expect(d).toMatchObject({ code: "POLICY_DENIED", ruleId: "deny-delete" });
  });
  it("measures the body when no size is declared", () => {
    expect(
      code(
        { model: "B", method: "POST", url: "https://slack.com/api/x", body: { text: "more than ten bytes" } },
        saturday,
      ),
    ).toBe("PAYLOAD_TOO_LARGE");
  });
  it("reports retry times for limits", () => {
    const r = evaluateRequest(
      p,
      { model: "B", method: "GET", url: "https://slack.com/api/x" },
      {
        now: "2026-11-28T23:59:30Z",
        usage: { requestsToday: 1 },
      },
    );
    expect(r).toMatchObject({ code: "BUDGET_EXCEEDED", retryAfterSeconds: 30 });
    const rl = evaluateRequest(
      p,
      { model: "B", method: "GET", url: "https://slack.com/api/x" },
      { ...saturday, usage: { requestsInWindow: 1 } },
    );
    expect(rl).toMatchObject({ code: "RATE_LIMITED", retryAfterSeconds: 60 });
  });
});

describe("hints name the nearest allowed entry", () => {
  const p = policy({
    defaultMode: "read_write",
    allowlists: [
      {
        origin: "https://gmail.googleapis.com",
        paths: ["/gmail/v1/users/me/messages", "/gmail/v1/users/me/labels/*"],
        methods: ["GET"],
      },
      { origin: "https://www.googleapis.com", paths: ["/drive/v3/files/**"], methods: ["GET", "PATCH"] },
      { origin: "https://slack.com", paths: ["/api/**"], methods: ["GET"] },
    ],
  });
  const run = (method: string, url: string) => evaluateRequestCtx(p, { model: "B", method, url });
  it("host", () => {
    const d = run("GET", "https://sheets.googleapis.com/v4/spreadsheets");
    expect(d.code).toBe("HOST_NOT_ALLOWLISTED");
    expect(d.hint).toContain("nearest is https://gmail.googleapis.com");
    expect(d.hint).toContain("POST /v1/permission-requests");
    expect(run("GET", "https://slack.co/api/x").hint).toContain("nearest is https://slack.com");
  });
  it("path", () => {
    const d = run("GET", "https://gmail.googleapis.com/gmail/v1/users/me/labels");
    expect(d.code).toBe("PATH_NOT_ALLOWLISTED");
    expect(d.hint).toContain("/gmail/v1/users/me/labels/*");
  });
  it("method", () => {
    const d = run("DELETE", "https://www.googleapis.com/drive/v3/files/abc");
    expect(d.code).toBe("METHOD_NOT_ALLOWED_BY_POLICY");
    expect(d.hint).toContain("GET, PATCH");
  });
  it("invalid URL", () => {
    expect(run("GET", "https://slack.com/api//x").hint).toMatch(/^Remove the doubled slash/);
  });
});

describe("inputs", () => {
  it("returns the final normalised URL", () => {
    const p = policy({ defaultMode: "read_write" });
    const d = evaluateRequest(
      p,
      { model: "B", method: "get", url: "https://SLACK.com:443/api/x?b=1", query: { a: "2" } },
      ctx,
    );
    expect(d).toMatchObject({ decision: "allow", url: "https://slack.com/api/x?b=1&a=2" });
  });
  it("accepts a raw document, a compiled policy, and now as Date or epoch ms", () => {
    const doc = { version: 1, defaultMode: "read_write", allowlists: [slack] };
    const r: PolicyRequest = { model: "B", method: "GET", url: "https://slack.com/api/x" };
    for (const when of [now, new Date(now), Date.parse(now)]) {
      expect(evaluateRequest(doc, r, { now: when }).decision).toBe("allow");
      expect(evaluateRequest(compilePolicy(doc), r, { now: when }).decision).toBe("allow");
    }
    expect(() => evaluateRequest(doc, r, { now: "yesterday" })).toThrow(TypeError);
  });
  it("fails closed on an invalid stored document", () => {
    const d = evaluateRequestCtx(
      { version: 1, allowlists: [slack], requestRule: [] },
      { model: "B", method: "GET", url: "https://slack.com/api/x" },
    );
    expect(d).toMatchObject({ decision: "deny", code: "POLICY_DENIED" });
    expect(d.hint).toBeTruthy();
  });
  it("refuses a Model B request without a method", () => {
    expect(evaluateRequestCtx(policy({}), { model: "B", url: "https://slack.com/api/x" }).code).toBe(
      "INVALID_REQUEST",
    );
  });
  it("allows http for development hosts that the policy allowlists", () => {
    const p = policy({
      defaultMode: "read_write",
      allowlists: [{ origin: "http://localhost:8080", paths: ["/**"], methods: ["GET"] }],
    });
    const r: PolicyRequest = { model: "B", method: "GET", url: "http://localhost:8080/x" };
    expect(evaluateRequest(p, r, ctx).code).toBe("INVALID_URL");
    expect(evaluateRequest(p, r, { now, devAllowHosts: ["localhost:8080"] }).decision).toBe("allow");
  });
  it("matches IDN and trailing-dot origins after normalisation", () => {
    const p = policy({
      defaultMode: "read_write",
      allowlists: [{ origin: "https://MÜNCHEN.de.", paths: ["/**"], methods: ["GET"] }],
    });
    expect(
      evaluateRequestCtx(p, { model: "B", method: "GET", url: "https://xn--mnchen-3ya.de/x" }).decision,
    ).toBe("allow");
  });
});
