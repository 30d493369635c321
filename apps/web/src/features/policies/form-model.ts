import {
  type DefaultMode,
  type PolicyAction,
  type PolicyDocument,
  type PolicyDocumentInput,
  PolicyDocumentSchema,
} from "@agenthifive/contracts";
import type { FieldErrors, Resolver } from "react-hook-form";

/**
 * The policy editor edits a flat, string-friendly form model; `toDocument` turns it into a policy
 * document and the contracts' PolicyDocumentSchema (the API's own validator) checks it, so the
 * editor never accepts what the API would refuse.
 */
export interface AllowlistForm {
  origin: string;
  paths: string;
  methods: string;
}
export interface RequestRuleForm {
  id: string;
  label: string;
  methods: string;
  path: string;
  action: PolicyAction;
  shadow: boolean;
  hint: string;
  /** query / headers / body conditions as JSON (kept verbatim; edited as text). */
  conditions: string;
}
export interface ResponseRuleForm {
  id: string;
  methods: string;
  path: string;
  allowFields: string;
  denyFields: string;
  redactPii: string;
}
export interface TimeWindowForm {
  days: string;
  start: string;
  end: string;
  timezone: string;
}
export interface PolicyForm {
  modelA: boolean;
  modelB: boolean;
  defaultMode: DefaultMode;
  defaultAction: PolicyAction | "";
  allowlists: AllowlistForm[];
  requestRules: RequestRuleForm[];
  responseRules: ResponseRuleForm[];
  timeWindows: TimeWindowForm[];
  rateLimitRequests: string;
  rateLimitWindowSeconds: string;
  budgetPerDay: string;
  maxRequestBytes: string;
  maxResponseBytes: string;
  approvalTtlSeconds: string;
  modelAMaxTtlSeconds: string;
  modelAScopes: string;
}

const list = (s: string) =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);
const join = (xs: readonly string[] | undefined, sep = ", ") => (xs ?? []).join(sep);
const num = (s: string) => (s.trim() === "" ? undefined : Number(s));
const str = (n: number | undefined) => (n === undefined ? "" : String(n));

export const emptyRequestRule = (n: number): RequestRuleForm => ({
  id: `rule-${n}`,
  label: "",
  methods: "",
  path: "",
  action: "require_approval",
  shadow: false,
  hint: "",
  conditions: "",
});
export const emptyResponseRule = (n: number): ResponseRuleForm => ({
  id: `filter-${n}`,
  methods: "",
  path: "",
  allowFields: "",
  denyFields: "",
  redactPii: "all",
});
export const emptyAllowlist = (): AllowlistForm => ({ origin: "https://", paths: "/**", methods: "GET" });
export const emptyTimeWindow = (): TimeWindowForm => ({
  days: "mon, tue, wed, thu, fri",
  start: "09:00",
  end: "17:00",
  timezone: "UTC",
});

export function toForm(input: PolicyDocumentInput): PolicyForm {
  const parsed = PolicyDocumentSchema.safeParse(input);
  const d = (parsed.success ? parsed.data : input) as PolicyDocument;
  const models = d.allowedModels ?? ["B"];
  return {
    modelA: models.includes("A"),
    modelB: models.includes("B"),
    defaultMode: d.defaultMode ?? "read_only",
    defaultAction: d.defaultAction ?? "",
    allowlists: (d.allowlists ?? []).map((a) => ({
      origin: a.origin,
      paths: join(a.paths, "\n"),
      methods: join(a.methods),
    })),
    requestRules: (d.requestRules ?? []).map((r) => {
      const { methods, path, ...conditions } = r.match;
      return {
        id: r.id,
        label: r.label ?? "",
        methods: join(methods),
        path: path ?? "",
        action: r.action,
        shadow: Boolean(r.shadow),
        hint: r.hint ?? "",
        conditions: Object.keys(conditions).length ? JSON.stringify(conditions, null, 2) : "",
      };
    }),
    responseRules: (d.responseRules ?? []).map((r) => ({
      id: r.id,
      methods: join(r.match?.methods),
      path: r.match?.path ?? "",
      allowFields: join(r.transform.allowFields),
      denyFields: join(r.transform.denyFields),
      redactPii: r.transform.redactPii
        ? r.transform.redactPii.types === "all"
          ? "all"
          : join(r.transform.redactPii.types)
        : "",
    })),
    timeWindows: (d.timeWindows ?? []).map((w) => ({
      days: join(w.days),
      start: w.start,
      end: w.end,
      timezone: w.timezone,
    })),
    rateLimitRequests: str(d.limits?.rateLimit?.requests),
    rateLimitWindowSeconds: str(d.limits?.rateLimit?.windowSeconds),
    budgetPerDay: str(d.limits?.budget?.requestsPerDay),
    maxRequestBytes: str(d.limits?.maxRequestBytes),
    maxResponseBytes: str(d.limits?.maxResponseBytes),
    approvalTtlSeconds: str(d.approval?.ttlSeconds),
    modelAMaxTtlSeconds: str(d.modelA?.maxTtlSeconds),
    modelAScopes: join(d.modelA?.scopes),
  };
}

function parseConditions(text: string): Record<string, unknown> | { __invalid: string } {
  if (!text.trim()) return {};
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
    return { __invalid: "conditions must be a JSON object with query, headers or body" };
  } catch {
    return { __invalid: "conditions must be valid JSON" };
  }
}

/** The unvalidated document a form describes (validation is PolicyDocumentSchema's job). */
export function toDocument(f: PolicyForm): PolicyDocumentInput {
  const models = [...(f.modelA ? ["A"] : []), ...(f.modelB ? ["B"] : [])] as ("A" | "B")[];
  const limits = {
    ...(num(f.maxRequestBytes) !== undefined ? { maxRequestBytes: num(f.maxRequestBytes) } : {}),
    ...(num(f.maxResponseBytes) !== undefined ? { maxResponseBytes: num(f.maxResponseBytes) } : {}),
    ...(f.rateLimitRequests || f.rateLimitWindowSeconds
      ? { rateLimit: { requests: num(f.rateLimitRequests), windowSeconds: num(f.rateLimitWindowSeconds) } }
      : {}),
    ...(f.budgetPerDay ? { budget: { requestsPerDay: num(f.budgetPerDay) } } : {}),
  };
  const doc = {
    version: 1,
    allowedModels: models,
    defaultMode: f.defaultMode,
    ...(f.defaultAction ? { defaultAction: f.defaultAction } : {}),
    allowlists: f.allowlists.map((a) => ({
      origin: a.origin.trim(),
      paths: list(a.paths),
      methods: list(a.methods),
    })),
    requestRules: f.requestRules.map((r) => ({
      id: r.id.trim(),
      ...(r.label.trim() ? { label: r.label.trim() } : {}),
      match: {
        ...(list(r.methods).length ? { methods: list(r.methods) } : {}),
        ...(r.path.trim() ? { path: r.path.trim() } : {}),
        ...parseConditions(r.conditions),
      },
      action: r.action,
      ...(r.shadow ? { shadow: true } : {}),
      ...(r.hint.trim() ? { hint: r.hint.trim() } : {}),
    })),
    responseRules: f.responseRules.map((r) => {
      const pii = r.redactPii.trim();
      return {
        id: r.id.trim(),
        ...(list(r.methods).length || r.path.trim()
          ? {
              match: {
                ...(list(r.methods).length ? { methods: list(r.methods) } : {}),
                ...(r.path.trim() ? { path: r.path.trim() } : {}),
              },
            }
          : {}),
        transform: {
          ...(list(r.allowFields).length ? { allowFields: list(r.allowFields) } : {}),
          ...(list(r.denyFields).length ? { denyFields: list(r.denyFields) } : {}),
          ...(pii ? { redactPii: { types: pii === "all" ? "all" : list(pii) } } : {}),
        },
      };
    }),
    ...(f.timeWindows.length
      ? {
          timeWindows: f.timeWindows.map((w) => ({
            days: list(w.days).map((d) => d.toLowerCase()),
            start: w.start.trim(),
            end: w.end.trim(),
            timezone: w.timezone.trim(),
          })),
        }
      : {}),
    ...(Object.keys(limits).length ? { limits } : {}),
    ...(f.modelAMaxTtlSeconds || f.modelAScopes
      ? {
          modelA: {
            maxTtlSeconds: num(f.modelAMaxTtlSeconds) ?? 600,
            ...(list(f.modelAScopes).length ? { scopes: list(f.modelAScopes) } : {}),
          },
        }
      : {}),
    ...(f.approvalTtlSeconds ? { approval: { ttlSeconds: num(f.approvalTtlSeconds) } } : {}),
  };
  return doc as PolicyDocumentInput;
}

const LIMIT_FIELDS: Record<string, keyof PolicyForm> = {
  "limits.rateLimit.requests": "rateLimitRequests",
  "limits.rateLimit.windowSeconds": "rateLimitWindowSeconds",
  "limits.rateLimit": "rateLimitRequests",
  "limits.budget.requestsPerDay": "budgetPerDay",
  "limits.maxRequestBytes": "maxRequestBytes",
  "limits.maxResponseBytes": "maxResponseBytes",
  "approval.ttlSeconds": "approvalTtlSeconds",
  "modelA.maxTtlSeconds": "modelAMaxTtlSeconds",
  "modelA.scopes": "modelAScopes",
  allowedModels: "modelB",
};

/** Where a document issue belongs in the form (`requestRules.0.match.path` → `requestRules.0.path`). */
export function formPathOf(path: readonly PropertyKey[]): string {
  const p = path.map(String);
  const dotted = p.join(".");
  for (const [docPath, field] of Object.entries(LIMIT_FIELDS)) if (dotted.startsWith(docPath)) return field;
  const [section, index, ...rest] = p;
  if (section === "allowlists" && index !== undefined) return `allowlists.${index}.${rest[0] ?? "origin"}`;
  if (section === "requestRules" && index !== undefined) {
    const key = rest[0] === "match" ? rest[1] : rest[0];
    const field = key === "methods" || key === "path" ? key : key === "match" || !key ? "conditions" : key;
    return `requestRules.${index}.${["query", "headers", "body"].includes(field) ? "conditions" : field}`;
  }
  if (section === "responseRules" && index !== undefined) {
    if (rest[0] === "match") return `responseRules.${index}.${rest[1] ?? "path"}`;
    if (rest[0] === "transform") {
      const key = rest[1] === "redactPii" ? "redactPii" : (rest[1] ?? "denyFields");
      return `responseRules.${index}.${key}`;
    }
    return `responseRules.${index}.${rest[0] ?? "id"}`;
  }
  if (section === "timeWindows" && index !== undefined) return `timeWindows.${index}.${rest[0] ?? "days"}`;
  return "root";
}

function setError(errors: Record<string, unknown>, path: string, message: string) {
  const parts = path.split(".");
  let node = errors;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  const last = parts.at(-1) as string;
  if (!node[last]) node[last] = { type: "validate", message };
}

/** react-hook-form resolver: the form is valid exactly when the API's schema accepts its document. */
export const policyResolver: Resolver<PolicyForm> = async (values) => {
  const errors: Record<string, unknown> = {};
  values.requestRules.forEach((r, i) => {
    const c = parseConditions(r.conditions);
    if ("__invalid" in c) setError(errors, `requestRules.${i}.conditions`, String(c.__invalid));
  });
  const result = PolicyDocumentSchema.safeParse(toDocument(values));
  if (!result.success) {
    for (const issue of result.error.issues) setError(errors, formPathOf(issue.path), issue.message);
  }
  if (Object.keys(errors).length) return { values: {}, errors: errors as FieldErrors<PolicyForm> };
  return { values, errors: {} };
};

export function validatedDocument(f: PolicyForm): PolicyDocument {
  return PolicyDocumentSchema.parse(toDocument(f));
}
