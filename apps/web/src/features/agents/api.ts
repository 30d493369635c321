import type { Agent, Page } from "@agenthifive/contracts";
import { api, idempotencyKey } from "@/lib/api-client";

export const agentKeys = { all: ["agents"] as const, list: () => ["agents", "list"] as const };

export const listAgents = () => api<Page<Agent>>("/v1/agents", { query: { limit: 200 } });

export const createAgent = (body: { name: string; description?: string }) =>
  api<Agent>("/v1/agents", { method: "POST", body, headers: { "idempotency-key": idempotencyKey() } });

export const setAgentEnabled = (id: string, enabled: boolean) =>
  api<Agent>(`/v1/agents/${id}/${enabled ? "enable" : "disable"}`, { method: "POST" });

export const deleteAgent = (id: string) => api<void>(`/v1/agents/${id}`, { method: "DELETE" });

export const revokeAgentTokens = (id: string) =>
  api<{ revoked: number }>(`/v1/agents/${id}/tokens`, { method: "DELETE" });

export interface BootstrapSecret {
  bootstrapSecret: string;
  expiresAt: string;
  bootstrapUrl: string;
}
/** Shown once: the API keeps only its hash, and a replay of the creation is refused. */
export const issueBootstrapSecret = (id: string) =>
  api<BootstrapSecret>(`/v1/agents/${id}/bootstrap-secrets`, {
    method: "POST",
    body: {},
    headers: { "idempotency-key": idempotencyKey() },
  });
