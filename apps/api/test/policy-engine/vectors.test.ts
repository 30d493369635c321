import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compilePolicy,
  evaluateRequest,
  filterResponse,
  type PolicyContext,
  type PolicyRequest,
  type PolicyResponse,
  requestFingerprint,
} from "../../src/modules/policies/engine/index.js";

/**
 * Runs every vector of POLICY.md §8. The suite reads its own copy of the vectors (CI runs on a
 * clean clone); when the shared design folder sits beside the repo, the copy must still match it.
 */

interface RequestVector {
  id: string;
  kind: "request";
  description: string;
  policy: unknown;
  request: PolicyRequest;
  context: PolicyContext;
  expect: { decision: string; code?: string; ruleId?: string; shadow?: unknown[] };
}
interface ResponseVector {
  id: string;
  kind: "response";
  description: string;
  policy: unknown;
  request: { method: string; url: string };
  response: PolicyResponse;
  context: PolicyContext;
  expect: { body?: unknown; blocked?: unknown };
}
interface FingerprintVector {
  id: string;
  kind: "fingerprint";
  description: string;
  a: PolicyRequest;
  b: PolicyRequest;
  expect: { equal: boolean };
}
type Vector = RequestVector | ResponseVector | FingerprintVector;

const COPY = new URL("./policy-vectors.json", import.meta.url);
const SHARED = new URL("../../../../../shared/design/policy-vectors.json", import.meta.url);

const file = JSON.parse(readFileSync(COPY, "utf8")) as { format: number; vectors: Vector[] };

describe("policy vectors file", () => {
  it("is format 1 with unique ids", () => {
    expect(file.format).toBe(1);
    expect(file.vectors.length).toBeGreaterThanOrEqual(51);
    expect(new Set(file.vectors.map((v) => v.id)).size).toBe(file.vectors.length);
  });
  it.skipIf(!existsSync(fileURLToPath(SHARED)))("matches the shared design copy", () => {
    expect(JSON.parse(readFileSync(SHARED, "utf8"))).toEqual(file);
  });
  it("has policies that the schema accepts", () => {
    for (const v of file.vectors) {
      if (v.kind !== "fingerprint") expect(() => compilePolicy(v.policy), v.id).not.toThrow();
    }
  });
});

const byKind = <K extends Vector["kind"]>(kind: K) =>
  file.vectors.filter((v): v is Extract<Vector, { kind: K }> => v.kind === kind);

describe("request vectors", () => {
  it.each(byKind("request").map((v) => [v.id, v] as const))("%s", (_id, v) => {
    for (const policy of [v.policy, compilePolicy(v.policy)]) {
      const d = evaluateRequest(policy, v.request, v.context);
      expect(d.decision, v.description).toBe(v.expect.decision);
      if ("code" in v.expect) expect(d.code, v.description).toBe(v.expect.code);
      if ("ruleId" in v.expect) expect(d.ruleId, v.description).toBe(v.expect.ruleId);
      if ("shadow" in v.expect) expect(d.shadow, v.description).toEqual(v.expect.shadow);
      expect(d.reason.length).toBeGreaterThan(0);
      expect(Array.isArray(d.shadow)).toBe(true);
      if (d.decision === "deny") {
        expect(d.code).toBeDefined();
        expect(d.hint, "every denial tells the agent what to do next").toBeTruthy();
      }
      if (d.decision === "allow") expect(d.code).toBeUndefined();
    }
  });
});

describe("response vectors", () => {
  it.each(byKind("response").map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const r = filterResponse(v.policy, v.request, v.response, v.context);
    if ("body" in v.expect) expect(r.body, v.description).toEqual(v.expect.body);
    if ("blocked" in v.expect) {
      expect(r.blocked, v.description).toEqual(v.expect.blocked);
      expect(r.body).toBeNull();
    } else {
      expect(r.blocked).toBeUndefined();
    }
  });
});

describe("fingerprint vectors", () => {
  it.each(byKind("fingerprint").map((v) => [v.id, v] as const))("%s", (_id, v) => {
    const a = requestFingerprint(v.a);
    const b = requestFingerprint(v.b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a === b, v.description).toBe(v.expect.equal);
  });
});
