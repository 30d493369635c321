import {
  type Principal,
  type SessionId,
  scopesForRole,
  type UserId,
  type WorkspaceId,
} from "@agenthifive/contracts";
import { fromNodeHeaders } from "better-auth/node";
import type { FastifyRequest } from "fastify";
import { assertAllowedOrigin } from "../../lib/origin.js";
import type { LiveRole } from "../workspaces/index.js";
import type { Auth } from "./better-auth.js";

/**
 * The browser's session as a principal, for read-only routes EventSource must reach without an
 * Authorization header (API.md §3.14). The workspace is the session's active one; an Origin, when
 * sent, must be the dashboard's.
 */
export function createCookiePrincipal(auth: Auth, liveRole: LiveRole, webOrigins: string[]) {
  return async (request: FastifyRequest): Promise<Principal | null> => {
    if (request.headers.origin) assertAllowedOrigin(request, webOrigins);
    const info = await auth.getSession(fromNodeHeaders(request.headers));
    const workspaceId = info?.session.activeWorkspaceId;
    if (!info || !workspaceId) return null;
    const role = await liveRole(workspaceId, info.user.id);
    if (!role) return null;
    return {
      kind: "user",
      userId: info.user.id as UserId,
      workspaceId: workspaceId as WorkspaceId,
      roles: [role],
      scopes: scopesForRole(role),
      credential: "session",
      credentialId: info.session.id,
      ...(info.session.expiresAt ? { expiresAt: new Date(info.session.expiresAt).getTime() } : {}),
      sessionId: info.session.id as SessionId,
    };
  };
}
