import type { PiiType, Redaction } from "@agenthifive/contracts";
import type { CompiledResponseRule } from "./compile.js";
import {
  accepts,
  childEntries,
  type FieldPath,
  initialStates,
  isContainer,
  JsonTooDeepError,
  MAX_JSON_DEPTH,
  type PathStates,
  stepStates,
} from "./json-paths.js";
import { type PiiOptions, redactText } from "./pii.js";

/**
 * The JSON transforms of a response rule (POLICY.md §4): `allowFields` keeps only the listed paths
 * and their ancestors, `denyFields` removes the listed paths, `redactPii` replaces detected values
 * inside string leaves. Inputs are never mutated; the result shares untouched subtrees.
 */

const DROP = Symbol("drop");

function setKey(obj: Record<string, unknown>, key: string, value: unknown) {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function emptyLike(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  return isContainer(value) ? {} : null;
}

const stepAll = (paths: readonly FieldPath[], states: readonly PathStates[], key: string) =>
  paths.map((p, i) => stepStates(p, states[i] ?? [], key));

const anyAccepts = (paths: readonly FieldPath[], states: readonly PathStates[]) =>
  paths.some((p, i) => accepts(p, states[i] ?? []));

const allDead = (states: readonly PathStates[]) => states.every((s) => s.length === 0);

/** Keeps only the nodes the paths select (with their whole subtree) and their ancestors. */
export function applyAllowFields(root: unknown, paths: readonly FieldPath[]): unknown {
  const walk = (node: unknown, states: readonly PathStates[], depth: number): unknown => {
    if (anyAccepts(paths, states)) return node;
    if (!isContainer(node)) return DROP;
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    let kept = false;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      node.forEach((child, i) => {
        const next = stepAll(paths, states, String(i));
        if (allDead(next)) return;
        const r = walk(child, next, depth + 1);
        if (r !== DROP) {
          out.push(r);
          kept = true;
        }
      });
      return kept ? out : DROP;
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of childEntries(node)) {
      const next = stepAll(paths, states, key);
      if (allDead(next)) continue;
      const r = walk(child, next, depth + 1);
      if (r !== DROP) {
        setKey(out, key, r);
        kept = true;
      }
    }
    return kept ? out : DROP;
  };
  const result = walk(
    root,
    paths.map((p) => initialStates(p)),
    0,
  );
  return result === DROP ? emptyLike(root) : result;
}

/** Removes every node the paths select. A path selecting the root empties the document. */
export function applyDenyFields(root: unknown, paths: readonly FieldPath[]): unknown {
  const walk = (node: unknown, states: readonly PathStates[], depth: number): unknown => {
    if (!isContainer(node)) return node;
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      node.forEach((child, i) => {
        const next = stepAll(paths, states, String(i));
        if (anyAccepts(paths, next)) return;
        out.push(allDead(next) ? child : walk(child, next, depth + 1));
      });
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const [key, child] of childEntries(node)) {
      const next = stepAll(paths, states, key);
      if (anyAccepts(paths, next)) continue;
      setKey(out, key, allDead(next) ? child : walk(child, next, depth + 1));
    }
    return out;
  };
  const initial = paths.map((p) => initialStates(p));
  if (anyAccepts(paths, initial)) return emptyLike(root);
  return walk(root, initial, 0);
}

/** Redacts PII inside every string leaf and object key; appends one `{path, type}` per replaced value. */
export function redactPiiIn(
  root: unknown,
  types: readonly PiiType[],
  options: PiiOptions,
  redactions: Redaction[],
  prefix: readonly string[] = [],
): unknown {
  const walk = (node: unknown, at: string[], depth: number): unknown => {
    if (typeof node === "string") {
      const r = redactText(node, types, options);
      if (r.found.length === 0) return node;
      const path = at.join(".");
      for (const type of r.found) redactions.push({ path, type });
      return r.text;
    }
    if (!isContainer(node)) return node;
    if (depth > MAX_JSON_DEPTH) throw new JsonTooDeepError();
    if (Array.isArray(node)) return node.map((child, i) => walk(child, [...at, String(i)], depth + 1));
    const out: Record<string, unknown> = {};
    for (const [key, child] of childEntries(node)) {
      // A key can be the personal data itself (a map keyed by email): it is redacted too, and
      // two keys that redact alike stay apart.
      const k = redactText(key, types, options);
      let name = k.text;
      if (k.found.length > 0) {
        for (let n = 2; Object.hasOwn(out, name); n++) name = `${k.text}#${n}`;
        for (const type of k.found) redactions.push({ path: [...at, name].join("."), type });
      }
      setKey(out, name, walk(child, [...at, name], depth + 1));
    }
    return out;
  };
  return walk(root, [...prefix], 0);
}

/** Applies the rules in order (each: allowFields, then denyFields, then redactPii). */
export function applyRules(
  value: unknown,
  rules: readonly CompiledResponseRule[],
  options: PiiOptions,
  redactions: Redaction[],
  prefix: readonly string[] = [],
): unknown {
  let v = value;
  for (const rule of rules) {
    if (rule.allowFields) v = applyAllowFields(v, rule.allowFields);
    if (rule.denyFields) v = applyDenyFields(v, rule.denyFields);
    if (rule.redactPii) v = redactPiiIn(v, rule.redactPii, options, redactions, prefix);
  }
  return v;
}
