import { type PageOptions, paginate } from "./pagination.js";
import type { Transport } from "./transport.js";
import type { AgentConnection, AgentMe, Capabilities, Page, PermissionRequest, PolicyTier } from "./types.js";

/** The agent's own routes (API.md §3.6, §3.12): what it may use and what it may ask for. */
export class AgentSelfResource {
  constructor(
    private readonly http: Transport,
    private readonly onLogout: () => void,
  ) {}

  me(signal?: AbortSignal) {
    return this.http.json<AgentMe>({ method: "GET", path: "/v1/agent/me", signal });
  }

  /** Connections bound to this agent by an enabled policy. */
  connections(options: PageOptions = {}) {
    const { signal, ...query } = options;
    return this.http.json<Page<AgentConnection>>({
      method: "GET",
      path: "/v1/agent/connections",
      query: { ...query },
      signal,
    });
  }

  capabilities(signal?: AbortSignal) {
    return this.http.json<Capabilities>({ method: "GET", path: "/v1/capabilities", signal });
  }

  /** Revokes the current access token (the next call signs a new assertion). */
  async logout() {
    await this.http.json<void>({ method: "DELETE", path: "/v1/agent/token" });
    this.onLogout();
  }
}

export interface PermissionRequestInput {
  actionTemplateId: string;
  connectionId?: string | undefined;
  /** 1–500 characters, shown to the person deciding. */
  reason: string;
}

/** Permission requests (API.md §3.12): agents ask, people approve or deny. */
export class PermissionRequestsResource {
  constructor(private readonly http: Transport) {}

  /** Agent: ask for a capability from the catalog. */
  create(input: PermissionRequestInput, signal?: AbortSignal) {
    return this.http.json<PermissionRequest>({
      method: "POST",
      path: "/v1/permission-requests",
      body: input,
      idempotencyKey: true,
      signal,
    });
  }

  /** Agent: its own requests. */
  mine(options: PageOptions & { status?: PermissionRequest["status"] } = {}) {
    const { signal, ...query } = options;
    return this.http.json<Page<PermissionRequest>>({
      method: "GET",
      path: "/v1/permission-requests/mine",
      query: { ...query },
      signal,
    });
  }

  /** Person: requests in the workspace. */
  list(options: PageOptions & { status?: PermissionRequest["status"]; agentId?: string } = {}) {
    const { signal, ...query } = options;
    return this.http.json<Page<PermissionRequest>>({
      method: "GET",
      path: "/v1/permission-requests",
      query: { ...query },
      signal,
    });
  }

  all(options: { status?: PermissionRequest["status"]; agentId?: string } = {}) {
    return paginate((cursor) => this.list({ ...options, cursor }));
  }

  /** Person: grant it, creating or extending the (agent, connection) policy from the template. */
  approve(id: string, input: { connectionId: string; tier?: PolicyTier; comment?: string }) {
    return this.http.json<PermissionRequest>({
      method: "POST",
      path: `/v1/permission-requests/${encodeURIComponent(id)}/approve`,
      body: input,
    });
  }

  deny(id: string, note?: string) {
    return this.http.json<PermissionRequest>({
      method: "POST",
      path: `/v1/permission-requests/${encodeURIComponent(id)}/deny`,
      body: note ? { note } : {},
    });
  }
}
