import type { BodyCondition, BodyConditionOp } from "@agenthifive/contracts";
import { compileFieldPath, type FieldPath, selectValues } from "./json-paths.js";

/**
 * Body conditions of request rules (POLICY.md §1). Semantics where a path selects several values
 * (wildcards): positive operators (eq, in, matches, contains, gt, lt, exists) hold when any
 * selected value satisfies them; negative ones (neq, not_in) when every selected value does, and
 * at least one exists. A path that selects nothing satisfies only `not_exists`. A body that is not
 * JSON satisfies only `not_exists`.
 */

export interface CompiledBodyCondition {
  op: BodyConditionOp;
  path: FieldPath;
  value: unknown;
  regex: RegExp | null;
}

export function compileBodyCondition(condition: BodyCondition): CompiledBodyCondition {
  const value = "value" in condition ? condition.value : undefined;
  return {
    op: condition.op,
    path: compileFieldPath(condition.path),
    value,
    regex: condition.op === "matches" ? new RegExp(condition.value, "u") : null,
  };
}

/** Structural equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}

function holdsFor(c: CompiledBodyCondition, target: unknown): boolean {
  switch (c.op) {
    case "eq":
      return jsonEqual(target, c.value);
    case "neq":
      return !jsonEqual(target, c.value);
    case "in":
      return Array.isArray(c.value) && c.value.some((v) => jsonEqual(target, v));
    case "not_in":
      return Array.isArray(c.value) && !c.value.some((v) => jsonEqual(target, v));
    case "matches":
      return typeof target === "string" && c.regex !== null && c.regex.test(target);
    case "contains":
      if (typeof target === "string") return typeof c.value === "string" && target.includes(c.value);
      if (Array.isArray(target)) return target.some((v) => jsonEqual(v, c.value));
      return false;
    case "gt":
      return typeof target === "number" && typeof c.value === "number" && target > c.value;
    case "lt":
      return typeof target === "number" && typeof c.value === "number" && target < c.value;
    case "exists":
    case "not_exists":
      return true;
  }
}

/** The request body as conditions see it. */
/** `unreadable`: a body was sent, but not as JSON the policy can read (form, text, mislabelled). */
export type ConditionBody = { json: true; value: unknown } | { json: false; unreadable: boolean };

export function conditionHolds(c: CompiledBodyCondition, body: ConditionBody): boolean {
  if (!body.json) return c.op === "not_exists";
  const selected = selectValues(body.value, c.path);
  if (c.op === "not_exists") return selected.length === 0;
  if (selected.length === 0) return false;
  if (c.op === "neq" || c.op === "not_in") return selected.every((s) => holdsFor(c, s.value));
  return selected.some((s) => holdsFor(c, s.value));
}

export function allConditionsHold(
  conditions: readonly CompiledBodyCondition[],
  body: ConditionBody,
): boolean {
  for (const c of conditions) if (!conditionHolds(c, body)) return false;
  return true;
}
