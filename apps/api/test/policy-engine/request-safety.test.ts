import { describe, expect, it } from "vitest";
import {
  compilePolicy,
  evaluateRequest,
  type PolicyContext,
  type PolicyRequest,
} from "../../src/modules/policies/engine/index.js";

/** Requests that would let the provider act on something other than what the policy checked. */
const ctx: PolicyContext = { now: "2026-11-30T10:00:00.000Z" };
const slack = { origin: "https://slack.com", paths: ["/api/**"], methods: ["GET", "POST"] };
const policy = compilePolicy({
  version: 1,
  defaultMode: "read_write",
  allowlists: [slack],
  requestRules: [
    {
      id: "exec-channel",
      match: {
        methods: ["POST"],
        path: "/api/chat.postMessage",
        body: [{ path: "channel", op: "eq", value: "C0EXEC" }],
      },
      action: "require_approval",
    },
    {
      id: "public-ok",
      match: {
        methods: ["POST"],
        path: "/api/chat.postMessage",
        body: [{ path: "channel", op: "eq", value: "C0PUB" }],
      },
      action: "allow",
    },
    {
      id: "no-purge",
      match: { methods: ["GET"], path: "/api/files.list", body: [{ path: "purge", op: "eq", value: true }] },
      action: "deny",
    },
  ],
});
const post = (extra: Partial<PolicyRequest>): PolicyRequest => ({
  model: "B",
  method: "POST",
  url: "https://slack.com/api/chat.postMessage",
  ...extra,
});
const bytes = (text: string) => new TextEncoder().encode(text);

describe("request headers the engine refuses", () => {
  it.each([
    "X-HTTP-Method-Override",
    "x-http-method",
    "X-Method-Override",
    "x-original-method",
    "X-Original-URL",
    "x-rewrite-url",
  ])("%s: INVALID_REQUEST with a hint", (name) => {
    const d = evaluateRequest(
      policy,
      post({ body: { channel: "C0PUB" }, headers: { [name]: "DELETE" } }),
      ctx,
    );
    expect(d).toMatchObject({
      decision: "deny",
      code: "INVALID_REQUEST",
      hint: expect.stringContaining("real method"),
    });
  });

  it("a header sent twice under two spellings", () => {
    const d = evaluateRequest(
      policy,
      post({
        body: bytes('{"channel":"C0EXEC"}'),
        headers: { "Content-Type": "text/plain", "content-type": "application/json" },
      }),
      ctx,
    );
    expect(d).toMatchObject({ decision: "deny", code: "INVALID_REQUEST", hint: "Send each header once." });
  });

  it("a compressed request body", () => {
    const d = evaluateRequest(
      policy,
      post({
        body: bytes("\x1f\x8b..."),
        headers: { "content-type": "application/json", "content-encoding": "gzip" },
      }),
      ctx,
    );
    expect(d).toMatchObject({
      decision: "deny",
      code: "INVALID_REQUEST",
      hint: expect.stringContaining("uncompressed"),
    });
  });

  it("ordinary headers pass", () => {
    const d = evaluateRequest(
      policy,
      post({ body: { channel: "C0PUB" }, headers: { "x-request-id": "1", accept: "*/*" } }),
      ctx,
    );
    expect(d).toMatchObject({ decision: "allow", ruleId: "public-ok" });
  });
});

describe("a body the policy cannot read does not escape a restrictive rule", () => {
  it.each([
    ["form-encoded", "application/x-www-form-urlencoded", "channel=C0EXEC&text=hi"],
    ["JSON sent as text/plain", "text/plain", '{"channel":"C0EXEC"}'],
    ["JSON with an invalid UTF-8 byte", "application/json", '{"channel":"C0EXEC","t":"\xff"}'],
  ])("%s: the approval rule applies", (_name, type, text) => {
    const body =
      type === "application/json" ? Uint8Array.from([...text].map((c) => c.charCodeAt(0))) : bytes(text);
    const d = evaluateRequest(policy, post({ body, headers: { "content-type": type } }), ctx);
    expect(d).toMatchObject({ decision: "require_approval", ruleId: "exec-channel" });
  });

  it("an allow rule still needs a readable body to match", () => {
    // public-ok never matches an unreadable body; exec-channel (first) takes it.
    const d = evaluateRequest(
      policy,
      post({
        body: bytes("channel=C0PUB"),
        headers: { "content-type": "application/x-www-form-urlencoded" },
      }),
      ctx,
    );
    expect(d).toMatchObject({ decision: "require_approval", ruleId: "exec-channel" });
  });

  it("no body at all is not an unreadable body", () => {
    const d = evaluateRequest(
      policy,
      { model: "B", method: "GET", url: "https://slack.com/api/files.list" },
      ctx,
    );
    expect(d).toMatchObject({ decision: "allow" });
    expect(d.ruleId).toBeUndefined();
  });

  it("a readable body that does not match is decided as before", () => {
    const d = evaluateRequest(policy, post({ body: { channel: "C0OTHER" } }), ctx);
    expect(d).toMatchObject({ decision: "allow" });
    expect(d.ruleId).toBeUndefined();
  });
});
