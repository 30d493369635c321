import type { AgentId, UserId, WorkspaceId } from "./ids.js";
import type { Scope, WorkspaceRole } from "./scopes.js";

/** How a request authenticated (API.md §2.1). */
export type CredentialKind = "jwt" | "pat" | "agent_token" | "session";

/** The one principal shape every route sees after authentication. */
export type Principal =
  | {
      kind: "user";
      userId: UserId;
      workspaceId: WorkspaceId;
      roles: WorkspaceRole[];
      scopes: Scope[];
      credential: CredentialKind;
      credentialId: string;
      sessionId?: string;
      /** When the presented credential stops working (epoch ms); long-lived streams end then. */
      expiresAt?: number;
    }
  | {
      kind: "agent";
      agentId: AgentId;
      workspaceId: WorkspaceId;
      roles: [];
      scopes: Scope[];
      credential: "agent_token";
      credentialId: string;
      /** When the agent token expires (epoch ms). */
      expiresAt: number;
    };

/** How a route declares who may call it (API.md §2.5); the router is default-deny. */
export type RoutePrincipal = "human" | "agent" | "human+agent" | "public";
