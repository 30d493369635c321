import {
  API_JWT_TTL_SECONDS,
  scopesForRole,
  type TokenExchangeResponse,
  type WorkspaceRole,
} from "@agenthifive/contracts";
import type { Database } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { SigningKeyService } from "../keys/index.js";
import type { WorkspaceService } from "../workspaces/index.js";
import { createSessionRepo } from "./sessions.repo.js";

export interface SessionInfo {
  session: { id: string; activeWorkspaceId?: string | null };
  user: { id: string; name: string; disabledAt?: Date | null };
}

/**
 * Session → 5-minute API JWT (API.md §2.2). The API signs; apps/web never does. Naming a
 * workspace also makes it the session's active one (that is how the dashboard switches).
 */
export function createTokenExchangeService(deps: {
  database: Database;
  keys: SigningKeyService;
  workspaces: WorkspaceService;
}) {
  const sessions = createSessionRepo();
  return {
    async exchange(info: SessionInfo, requested: string | undefined): Promise<TokenExchangeResponse> {
      if (info.user.disabledAt) throw new AppError("UNAUTHENTICATED", "This account is disabled.");
      let workspaceId = requested ?? info.session.activeWorkspaceId ?? undefined;
      let membership = workspaceId ? await deps.workspaces.membership(workspaceId, info.user.id) : undefined;
      if (!membership && !requested) {
        // The remembered workspace is gone: fall back to the oldest one, or make a personal one.
        workspaceId = await deps.workspaces.defaultWorkspaceOf(info.user.id);
        if (!workspaceId)
          workspaceId = (await deps.workspaces.createPersonalWorkspace(info.user.id, info.user.name)).id;
        membership = await deps.workspaces.membership(workspaceId, info.user.id);
      }
      if (!membership || !workspaceId) throw new AppError("NOT_FOUND", "Workspace not found.");
      if (workspaceId !== info.session.activeWorkspaceId) {
        await sessions.setActiveWorkspace(deps.database.db, info.session.id, workspaceId);
      }
      const role: WorkspaceRole = membership.role;
      const scopes = scopesForRole(role);
      const accessToken = await deps.keys.sign({
        sub: info.user.id,
        wid: workspaceId,
        roles: [role],
        scp: scopes,
        sid: info.session.id,
        jti: newId(),
      });
      return {
        accessToken,
        tokenType: "Bearer",
        expiresIn: API_JWT_TTL_SECONDS,
        workspaceId,
        roles: [role],
        scopes,
      };
    },
  };
}
export type TokenExchangeService = ReturnType<typeof createTokenExchangeService>;
