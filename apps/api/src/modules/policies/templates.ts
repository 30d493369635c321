import { POLICY_TIERS, type PolicyDocument, type PolicyTier } from "@agenthifive/contracts";
import { type ActionTemplate, getActionTemplate, listActionTemplates } from "@agenthifive/oauth-connectors";
import type { ServiceDirectory, ServiceRef } from "../connections/index.js";

export type { PolicyTier };

/**
 * What each tier grants (docs/decisions.md "Policy presets"): strict reads only, with PII
 * redaction and tight limits; standard reads freely and asks a human before any write;
 * permissive writes freely and asks before deleting. Nothing outside the service's actions is
 * ever reachable (the allowlist is built from them), and the default for anything unmatched
 * inside it is the tier's `unmatched` action.
 */
const TIERS: Record<
  PolicyTier,
  {
    kinds: readonly ActionTemplate["kind"][];
    approve: readonly ActionTemplate["kind"][];
    perMinute: number;
    perDay: number;
    redactPii: boolean;
  }
> = {
  strict: { kinds: ["read"], approve: ["write", "delete"], perMinute: 30, perDay: 1000, redactPii: true },
  standard: {
    kinds: ["read", "write"],
    approve: ["write", "delete"],
    perMinute: 120,
    perDay: 5000,
    redactPii: false,
  },
  permissive: {
    kinds: ["read", "write", "delete"],
    approve: ["delete"],
    perMinute: 600,
    perDay: 50_000,
    redactPii: false,
  },
};

/**
 * A complete policy document for a service at a tier. `origins` are the connection's API
 * origins; `extraActions` (from an approved permission request) are added to what the tier
 * grants, keeping the tier's approval rule for their kind.
 */
export function buildPresetDocument(
  ref: ServiceRef,
  tier: PolicyTier,
  origins: readonly string[],
  extraActions: readonly ActionTemplate[] = [],
): PolicyDocument {
  const t = TIERS[tier];
  const base = listActionTemplates(ref.service.id).filter((a) => t.kinds.includes(a.kind));
  const actions = dedupe([...base, ...extraActions]);
  const oauth = ref.provider.authTypes.includes("oauth") || ref.provider.authTypes.includes("device");
  return {
    version: 1,
    allowedModels: tier === "permissive" && oauth ? ["A", "B"] : ["B"],
    defaultMode: "custom",
    defaultAction: "allow",
    allowlists: allowlistFor(actions, origins),
    requestRules: actions
      .filter((a) => t.approve.includes(a.kind))
      .flatMap((a) =>
        a.paths.map((path, i) => ({
          id: `${a.id}.approval${i === 0 ? "" : `.${i}`}`,
          label: `${a.label} needs approval`,
          match: { methods: [...a.methods], path },
          action: "require_approval" as const,
          hint: "A person approves this action in the dashboard or a notification channel.",
        })),
      ),
    responseRules: t.redactPii
      ? [{ id: "redact-pii", transform: { redactPii: { types: "all" as const } } }]
      : [],
    limits: { rateLimit: { requests: t.perMinute, windowSeconds: 60 }, budget: { requestsPerDay: t.perDay } },
    modelA: { maxTtlSeconds: 600 },
    approval: { ttlSeconds: 1800 },
  };
}

/** Adds an action to an existing document (permission request merged into a policy). */
export function mergeAction(
  document: PolicyDocument,
  action: ActionTemplate,
  origins: readonly string[],
  tier: PolicyTier,
) {
  const requestRules = [...(document.requestRules ?? [])];
  if (
    TIERS[tier].approve.includes(action.kind) &&
    !requestRules.some((r) => r.id.startsWith(`${action.id}.approval`))
  ) {
    // The approver's tier decides whether each use of the granted action still asks a person.
    requestRules.unshift(
      ...action.paths.map((path, i) => ({
        id: `${action.id}.approval${i === 0 ? "" : `.${i}`}`,
        label: `${action.label} needs approval`,
        match: { methods: [...action.methods], path },
        action: "require_approval" as const,
      })),
    );
  }
  return {
    ...document,
    allowlists: [...(document.allowlists ?? []), ...allowlistFor([action], origins)],
    requestRules,
  } satisfies PolicyDocument;
}

function allowlistFor(actions: readonly ActionTemplate[], origins: readonly string[]) {
  return origins.flatMap((origin) =>
    actions.map((a) => ({ origin, paths: [...a.paths], methods: [...a.methods] })),
  );
}

function dedupe(actions: readonly ActionTemplate[]) {
  return [...new Map(actions.map((a) => [a.id, a])).values()];
}

/** The static preset catalog of `GET /v1/policy-templates` (API.md §3.8). */
export function describeTemplate(ref: ServiceRef) {
  const previewOrigins =
    ref.service.apiOrigins.length > 0 ? ref.service.apiOrigins : ["https://api.example.com"];
  return {
    id: ref.service.id,
    provider: ref.provider.id,
    service: ref.service.id,
    label: ref.service.label,
    description: `Presets for ${ref.service.label}: strict (read only), standard (writes need approval), permissive (deletes need approval).`,
    tiers: [...POLICY_TIERS],
    models: (ref.provider.authTypes.some((a) => a === "oauth" || a === "device") ? ["A", "B"] : ["B"]) as (
      | "A"
      | "B"
    )[],
    actions: listActionTemplates(ref.service.id).map(({ id, label, description, kind }) => ({
      id,
      label,
      description,
      kind,
    })),
    preview: buildPresetDocument(ref, "standard", previewOrigins),
  };
}

/** The `GET /v1/policy-templates` catalog over every service this deployment knows. */
export function createPolicyTemplateCatalog(services: ServiceDirectory) {
  return {
    list: (f: { provider?: string; service?: string }) =>
      services
        .list()
        .filter(
          (ref) =>
            (!f.provider || ref.provider.id === f.provider) && (!f.service || ref.service.id === f.service),
        )
        .map(describeTemplate),
  };
}
export type PolicyTemplateCatalog = ReturnType<typeof createPolicyTemplateCatalog>;

export { getActionTemplate };
