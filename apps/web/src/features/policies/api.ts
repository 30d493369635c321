import type { Page, Policy, PolicyDocument, PolicyDocumentInput } from "@agenthifive/contracts";
import { api, idempotencyKey } from "@/lib/api-client";
import { isApiError } from "@/lib/api-error";

export const policyKeys = {
  all: ["policies"] as const,
  list: (agentId?: string, connectionId?: string) =>
    ["policies", "list", agentId ?? "", connectionId ?? ""] as const,
  templates: (provider?: string, service?: string) =>
    ["policies", "templates", provider ?? "", service ?? ""] as const,
};

export const listPolicies = (agentId?: string, connectionId?: string) =>
  api<Page<Policy>>("/v1/policies", { query: { agentId, connectionId, limit: 200 } });

export const createPolicy = (body: {
  agentId: string;
  connectionId: string;
  document: PolicyDocument | PolicyDocumentInput;
}) => api<Policy>("/v1/policies", { method: "POST", body, headers: { "idempotency-key": idempotencyKey() } });

export const createPolicyFromTemplate = (body: {
  agentId: string;
  connectionId: string;
  templateId: string;
  tier: string;
}) => api<Policy>("/v1/policies", { method: "POST", body, headers: { "idempotency-key": idempotencyKey() } });

export const replacePolicy = (id: string, version: number, document: PolicyDocument, enabled?: boolean) =>
  api<Policy>(`/v1/policies/${id}`, {
    method: "PUT",
    body: { document, version, ...(enabled === undefined ? {} : { enabled }) },
  });

export const deletePolicy = (id: string) => api<void>(`/v1/policies/${id}`, { method: "DELETE" });

export interface PolicyTemplate {
  id: string;
  provider: string;
  service: string;
  label: string;
  description: string;
  tiers: string[];
  models: string[];
  actions?: { id: string; label: string; description: string; kind: "read" | "write" | "delete" }[];
  preview?: unknown;
}

/** GET /v1/policy-templates; `null` when this API does not offer templates yet (404). */
export async function listTemplates(provider?: string, service?: string): Promise<PolicyTemplate[] | null> {
  try {
    const res = await api<{ items: PolicyTemplate[] }>("/v1/policy-templates", {
      query: { provider, service },
    });
    return res.items;
  } catch (e) {
    if (isApiError(e) && e.status === 404) return null;
    throw e;
  }
}

export interface SimulateRequest {
  model: "A" | "B";
  method?: string;
  url?: string;
  bodySample?: unknown;
}
export interface SimulateResult {
  decision: "allow" | "deny" | "require_approval";
  code?: string;
  ruleId?: string;
  reason: string;
  hint?: string;
  shadow: { ruleId: string; wouldBe: string }[];
  redactions?: { path: string; type: string }[];
  filteredBody?: unknown;
}
export const simulatePolicy = (
  policy: unknown,
  request: SimulateRequest,
  responseSample?: { body: unknown },
) =>
  api<SimulateResult>("/v1/policies/simulate", {
    method: "POST",
    body: { policy, request, ...(responseSample ? { responseSample } : {}) },
  });
