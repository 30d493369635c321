import { AgentSelfResource, PermissionRequestsResource } from "./agent-resources.js";
import { type AgentAuthOptions, AgentSession } from "./agent-session.js";
import { ApprovalsResource } from "./approvals.js";
import { CliLoginResource } from "./cli-login.js";
import { AgentHiFiveError } from "./errors.js";
import { AgentsResource, AuditResource, ConnectionsResource, PoliciesResource } from "./human-resources.js";
import { type AuthProvider, Transport, type TransportOptions } from "./transport.js";
import type { Page, WhoAmI, Workspace, WorkspaceSummary } from "./types.js";
import { VaultResource } from "./vault.js";

export interface AgentHiFiveClientOptions extends TransportOptions {
  /**
   * Human mode: a personal access token (`ah5p_…`) or a dashboard JWT. An `ah5t_` agent access
   * token is accepted too (agent mode without renewal).
   */
  token?: string | undefined;
  /** Agent mode: key file or key, optional bootstrap secret; tokens are obtained and renewed. */
  agent?: AgentAuthOptions | undefined;
}

class StaticToken implements AuthProvider {
  constructor(private readonly token: string) {}
  async authorization() {
    return `Bearer ${this.token}`;
  }
}

/**
 * The AgentHiFive API client. Agent mode (`agent`) runs brokered calls through the vault; human
 * mode (`token`) manages agents, policies, approvals and the audit log.
 */
export class AgentHiFiveClient {
  readonly mode: "agent" | "human" | "anonymous";
  readonly http: Transport;
  /** Agent mode only: bootstrap, assertions, token cache. */
  readonly session: AgentSession | undefined;

  readonly vault: VaultResource;
  readonly approvals: ApprovalsResource;
  readonly agent: AgentSelfResource;
  readonly permissionRequests: PermissionRequestsResource;
  readonly agents: AgentsResource;
  readonly connections: ConnectionsResource;
  readonly policies: PoliciesResource;
  readonly audit: AuditResource;
  readonly cliLogin: CliLoginResource;

  constructor(options: AgentHiFiveClientOptions) {
    if (options.token && options.agent) {
      throw new AgentHiFiveError({
        code: "INVALID_OPTIONS",
        status: 0,
        message: "Give either token (human) or agent options, not both.",
      });
    }
    const publicTransport = new Transport(options);
    let auth: AuthProvider | undefined;
    if (options.agent) {
      this.session = new AgentSession(publicTransport, options.agent);
      auth = this.session;
    } else if (options.token) {
      auth = new StaticToken(options.token);
    }
    this.mode =
      options.agent || options.token?.startsWith("ah5t_") ? "agent" : options.token ? "human" : "anonymous";
    this.http = new Transport(options, auth);
    this.approvals = new ApprovalsResource(this.http);
    this.vault = new VaultResource(this.http, this.approvals);
    this.agent = new AgentSelfResource(this.http, () => this.session?.forgetToken());
    this.permissionRequests = new PermissionRequestsResource(this.http);
    this.agents = new AgentsResource(this.http);
    this.connections = new ConnectionsResource(this.http);
    this.policies = new PoliciesResource(this.http);
    this.audit = new AuditResource(this.http);
    this.cliLogin = new CliLoginResource(this.http);
  }

  /** Enrolls the agent key with a bootstrap secret (agent mode); usually implicit on first call. */
  bootstrap(bootstrapSecret: string) {
    if (!this.session) throw this.needsAgent();
    return this.session.bootstrap(bootstrapSecret);
  }

  /** The current access token (agent mode), renewed when it is about to expire. */
  accessToken(signal?: AbortSignal) {
    if (!this.session) throw this.needsAgent();
    return this.session.accessToken(signal);
  }

  /** Who the credential belongs to: the agent, or the person's workspace and role. */
  async whoami(): Promise<WhoAmI> {
    if (this.mode === "agent") return { kind: "agent", agent: await this.agent.me() };
    const [workspace, list] = await Promise.all([
      this.http.json<Workspace>({ method: "GET", path: "/v1/workspaces/current" }),
      this.http.json<Page<WorkspaceSummary>>({
        method: "GET",
        path: "/v1/workspaces",
        query: { limit: 200 },
      }),
    ]);
    return { kind: "user", workspace, role: list.items.find((w) => w.id === workspace.id)?.role };
  }

  /** `GET /ready`: is the API up (database, migrations, keys)? */
  ready() {
    return this.http.json<{ status: string }>({ method: "GET", path: "/ready", authenticated: false });
  }

  private needsAgent() {
    return new AgentHiFiveError({
      code: "INVALID_OPTIONS",
      status: 0,
      message: "This needs agent mode (the `agent` option).",
    });
  }
}
