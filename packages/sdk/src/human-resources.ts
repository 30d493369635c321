import type { AuditFilterSchema } from "@agenthifive/contracts";
import type { z } from "zod";
import { type PageOptions, paginate } from "./pagination.js";
import type { QueryValue, Transport } from "./transport.js";
import type {
  Agent,
  AgentDetail,
  AuditEvent,
  AuditVerifyResult,
  BootstrapSecret,
  Connection,
  Page,
  Policy,
  PolicyTemplate,
  PolicyTier,
  SimulateRequest,
  SimulateResult,
} from "./types.js";

const path = (...parts: string[]) => parts.map((p, i) => (i % 2 ? encodeURIComponent(p) : p)).join("/");

/** Agents (API.md §3.4), for people. */
export class AgentsResource {
  constructor(private readonly http: Transport) {}

  list(options: PageOptions & { status?: Agent["status"] } = {}) {
    const { signal, ...query } = options;
    return this.http.json<Page<Agent>>({ method: "GET", path: "/v1/agents", query: { ...query }, signal });
  }
  all(options: { status?: Agent["status"] } = {}) {
    return paginate((cursor) => this.list({ ...options, cursor }));
  }
  get(id: string) {
    return this.http.json<AgentDetail>({ method: "GET", path: path("/v1/agents", id) });
  }
  create(input: { name: string; description?: string | undefined }) {
    return this.http.json<Agent>({ method: "POST", path: "/v1/agents", body: input, idempotencyKey: true });
  }
  update(id: string, input: { name?: string; description?: string }) {
    return this.http.json<Agent>({ method: "PATCH", path: path("/v1/agents", id), body: input });
  }
  disable(id: string) {
    return this.http.json<Agent>({ method: "POST", path: `${path("/v1/agents", id)}/disable` });
  }
  enable(id: string) {
    return this.http.json<Agent>({ method: "POST", path: `${path("/v1/agents", id)}/enable` });
  }
  delete(id: string) {
    return this.http.json<void>({ method: "DELETE", path: path("/v1/agents", id) });
  }
  /** `ah5b_…`, shown once; a PAT needs the explicit `agents:bootstrap` scope. */
  issueBootstrapSecret(id: string) {
    return this.http.json<BootstrapSecret>({
      method: "POST",
      path: `${path("/v1/agents", id)}/bootstrap-secrets`,
      body: {},
    });
  }
  revokeTokens(id: string) {
    return this.http.json<{ revoked: number }>({
      method: "DELETE",
      path: `${path("/v1/agents", id)}/tokens`,
    });
  }
}

/** Connections (API.md §3.2), for people. */
export class ConnectionsResource {
  constructor(private readonly http: Transport) {}

  list(options: PageOptions & { provider?: string; status?: Connection["status"] } = {}) {
    const { signal, ...query } = options;
    return this.http.json<Page<Connection>>({
      method: "GET",
      path: "/v1/connections",
      query: { ...query },
      signal,
    });
  }
  all(options: { provider?: string; status?: Connection["status"] } = {}) {
    return paginate((cursor) => this.list({ ...options, cursor }));
  }
  get(id: string) {
    return this.http.json<Connection>({ method: "GET", path: path("/v1/connections", id) });
  }
  rename(id: string, label: string) {
    return this.http.json<Connection>({
      method: "PATCH",
      path: path("/v1/connections", id),
      body: { label },
    });
  }
  /** Revokes and deletes the stored credential; policies on it are disabled. */
  revoke(id: string) {
    return this.http.json<void>({ method: "DELETE", path: path("/v1/connections", id) });
  }
  /** Connects an API-key or bot-token provider; the key is verified by the API and never returned. */
  createApiKey(input: {
    provider: string;
    service?: string;
    label?: string;
    secret: string;
    extra?: Record<string, string>;
  }) {
    return this.http.json<Connection>({
      method: "POST",
      path: "/v1/connections/api-key",
      body: input,
      idempotencyKey: true,
    });
  }
}

/** Policies and templates (API.md §3.8), for people. */
export class PoliciesResource {
  constructor(private readonly http: Transport) {}

  list(options: PageOptions & { agentId?: string; connectionId?: string } = {}) {
    const { signal, ...query } = options;
    return this.http.json<Page<Policy>>({ method: "GET", path: "/v1/policies", query: { ...query }, signal });
  }
  all(options: { agentId?: string; connectionId?: string } = {}) {
    return paginate((cursor) => this.list({ ...options, cursor }));
  }
  get(id: string) {
    return this.http.json<Policy>({ method: "GET", path: path("/v1/policies", id) });
  }
  create(input: {
    agentId: string;
    connectionId: string;
    document: Record<string, unknown>;
    enabled?: boolean;
  }) {
    return this.http.json<Policy>({
      method: "POST",
      path: "/v1/policies",
      body: input,
      idempotencyKey: true,
    });
  }
  /** Creates the (agent, connection) policy from a catalog template and tier ("apply a preset"). */
  apply(input: { agentId: string; connectionId: string; templateId: string; tier: PolicyTier }) {
    return this.http.json<Policy>({
      method: "POST",
      path: "/v1/policies",
      body: input,
      idempotencyKey: true,
    });
  }
  replace(id: string, input: { document: Record<string, unknown>; enabled?: boolean; version: number }) {
    return this.http.json<Policy>({ method: "PUT", path: path("/v1/policies", id), body: input });
  }
  delete(id: string) {
    return this.http.json<void>({ method: "DELETE", path: path("/v1/policies", id) });
  }
  /** Dry run: no provider call, no audit, no approval created. */
  simulate(input: SimulateRequest) {
    return this.http.json<SimulateResult>({ method: "POST", path: "/v1/policies/simulate", body: input });
  }
  templates(options: { provider?: string; service?: string } = {}) {
    return this.http.json<{ items: PolicyTemplate[] }>({
      method: "GET",
      path: "/v1/policy-templates",
      query: { ...options },
    });
  }
}

export type AuditFilter = z.input<typeof AuditFilterSchema>;

/** Audit (API.md §3.13), for people. */
export class AuditResource {
  constructor(private readonly http: Transport) {}

  list(filter: AuditFilter & PageOptions = {}) {
    const { signal, ...query } = filter;
    return this.http.json<Page<AuditEvent>>({
      method: "GET",
      path: "/v1/audit",
      query: query as Record<string, QueryValue>,
      signal,
    });
  }
  all(filter: AuditFilter = {}) {
    return paginate((cursor) => this.list({ ...filter, cursor }));
  }
  get(id: string) {
    return this.http.json<AuditEvent>({ method: "GET", path: path("/v1/audit", id) });
  }
  verify(range: { from?: string; to?: string } = {}) {
    return this.http.json<AuditVerifyResult>({
      method: "GET",
      path: "/v1/audit/verify",
      query: { ...range },
    });
  }
  /** Streams an export (`csv` or `ndjson`) as bytes; the export itself is audited. */
  async export(
    filter: AuditFilter & { format: "csv" | "ndjson" },
    signal?: AbortSignal,
  ): Promise<ReadableStream<Uint8Array>> {
    const response = await this.http.raw({
      method: "GET",
      path: "/v1/audit/export",
      query: filter as Record<string, QueryValue>,
      headers: { accept: filter.format === "csv" ? "text/csv" : "application/x-ndjson" },
      signal,
    });
    return response.body ?? new ReadableStream({ start: (c) => c.close() });
  }
}
