import {
  PII_TYPES,
  type PiiType,
  type PolicyAction,
  type PolicyDocument,
  PolicyDocumentSchema,
  type ValidationIssue,
} from "@agenthifive/contracts";
import { type CompiledBodyCondition, compileBodyCondition } from "./body-conditions.js";
import { compileFieldPath, type FieldPath } from "./json-paths.js";
import {
  type CompiledPathPattern,
  compilePathPattern,
  compileValueGlob,
  type ValueMatcher,
} from "./patterns.js";
import { type CompiledWindow, compileWindow } from "./time-windows.js";
import { normaliseOrigin } from "./url.js";

/**
 * `compilePolicy` validates a stored document once (the same Zod schema as on write, which also
 * applies the defaults of POLICY.md §1) and precompiles patterns, globs, regexes and windows.
 */

const COMPILED = Symbol.for("agenthifive.policy.compiled");

export interface CompiledAllowlistEntry {
  origin: string;
  paths: readonly CompiledPathPattern[];
  methods: ReadonlySet<string>;
}

export interface CompiledRequestRule {
  id: string;
  label: string | undefined;
  action: PolicyAction;
  shadow: boolean;
  hint: string | undefined;
  methods: ReadonlySet<string> | null;
  path: CompiledPathPattern | null;
  query: readonly { key: string; match: ValueMatcher }[];
  headers: readonly { name: string; match: ValueMatcher }[];
  body: readonly CompiledBodyCondition[];
}

export interface CompiledResponseRule {
  id: string;
  methods: ReadonlySet<string> | null;
  path: CompiledPathPattern | null;
  allowFields: readonly FieldPath[] | null;
  denyFields: readonly FieldPath[] | null;
  redactPii: readonly PiiType[] | null;
}

export interface CompiledPolicy {
  readonly [COMPILED]: true;
  /** The validated document with defaults applied. */
  readonly document: PolicyDocument;
  readonly allowedModels: ReadonlySet<string>;
  readonly allowlists: readonly CompiledAllowlistEntry[];
  readonly requestRules: readonly CompiledRequestRule[];
  readonly responseRules: readonly CompiledResponseRule[];
  /** Null when the policy has no time windows (always open). */
  readonly windows: readonly CompiledWindow[] | null;
}

/** A document the schema refused; `issues` in the API's `details.issues` shape. */
export class PolicyValidationError extends Error {
  constructor(readonly issues: ValidationIssue[]) {
    super(`invalid policy document: ${issues.map((i) => `${i.path || "(root)"}: ${i.message}`).join("; ")}`);
    this.name = "PolicyValidationError";
  }
}

export function isCompiledPolicy(value: unknown): value is CompiledPolicy {
  return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[COMPILED] === true;
}

const methodSet = (methods: readonly string[] | undefined) =>
  methods ? new Set(methods.map((m) => m.toUpperCase())) : null;

function compileDocument(doc: PolicyDocument): CompiledPolicy {
  const allowlists = doc.allowlists.map((entry) => {
    const origin = normaliseOrigin(entry.origin);
    if (origin === null) throw new Error(`allowlist origin "${entry.origin}" cannot be normalised`);
    return { origin, paths: entry.paths.map(compilePathPattern), methods: new Set(entry.methods) };
  });
  const requestRules = doc.requestRules.map(
    (r): CompiledRequestRule => ({
      id: r.id,
      label: r.label,
      action: r.action,
      shadow: r.shadow === true,
      hint: r.hint,
      methods: methodSet(r.match.methods),
      path: r.match.path === undefined ? null : compilePathPattern(r.match.path),
      query: Object.entries(r.match.query ?? {}).map(([key, glob]) => ({
        key,
        match: compileValueGlob(glob),
      })),
      headers: Object.entries(r.match.headers ?? {}).map(([name, glob]) => ({
        name: name.toLowerCase(),
        match: compileValueGlob(glob),
      })),
      body: (r.match.body ?? []).map(compileBodyCondition),
    }),
  );
  const responseRules = doc.responseRules.map(
    (r): CompiledResponseRule => ({
      id: r.id,
      methods: methodSet(r.match?.methods),
      path: r.match?.path === undefined ? null : compilePathPattern(r.match.path),
      allowFields: r.transform.allowFields?.map(compileFieldPath) ?? null,
      denyFields: r.transform.denyFields?.map(compileFieldPath) ?? null,
      redactPii: r.transform.redactPii
        ? r.transform.redactPii.types === "all"
          ? PII_TYPES
          : [...new Set(r.transform.redactPii.types)]
        : null,
    }),
  );
  const windows = doc.timeWindows && doc.timeWindows.length > 0 ? doc.timeWindows.map(compileWindow) : null;
  return {
    [COMPILED]: true,
    document: doc,
    allowedModels: new Set(doc.allowedModels),
    allowlists,
    requestRules,
    responseRules,
    windows,
  };
}

export type CompileResult = { ok: true; policy: CompiledPolicy } | { ok: false; issues: ValidationIssue[] };

/** Validates and compiles; never throws. */
export function tryCompilePolicy(document: unknown): CompileResult {
  if (isCompiledPolicy(document)) return { ok: true, policy: document };
  const parsed = PolicyDocumentSchema.safeParse(document);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((i) => ({
        path: i.path.map(String).join("."),
        message: i.message,
        code: i.code,
      })),
    };
  }
  try {
    return { ok: true, policy: compileDocument(parsed.data) };
  } catch (err) {
    return { ok: false, issues: [{ path: "", message: (err as Error).message, code: "custom" }] };
  }
}

/** Validates and compiles a stored policy document; throws `PolicyValidationError`. */
export function compilePolicy(document: unknown): CompiledPolicy {
  const result = tryCompilePolicy(document);
  if (!result.ok) throw new PolicyValidationError(result.issues);
  return result.policy;
}
