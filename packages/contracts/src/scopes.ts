import { z } from "zod";

export const WORKSPACE_ROLES = ["owner", "admin", "member", "viewer"] as const;
export const WorkspaceRoleSchema = z.enum(WORKSPACE_ROLES);
export type WorkspaceRole = z.infer<typeof WorkspaceRoleSchema>;

/** Higher rank = more authority. Used for "role ≤ caller's role" rules (invitations, demotions). */
export const ROLE_RANK: Readonly<Record<WorkspaceRole, number>> = {
  owner: 4,
  admin: 3,
  member: 2,
  viewer: 1,
};

/** The complete scope list of API.md §2.4. */
export const SCOPES = [
  "workspace:read",
  "workspace:write",
  "workspace:delete",
  "members:manage",
  "connections:read",
  "connections:write",
  "agents:read",
  "agents:write",
  "agents:bootstrap",
  "policies:read",
  "policies:write",
  "approvals:read",
  "approvals:decide",
  "audit:read",
  "audit:export",
  "tokens:manage",
  "channels:manage",
  "events:read",
  "vault:execute",
  "capabilities:read",
  "capabilities:request",
] as const;
export const ScopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof ScopeSchema>;

/** Scopes an agent token carries: exactly these, and no role. */
export const AGENT_SCOPES = [
  "vault:execute",
  "capabilities:read",
  "capabilities:request",
] as const satisfies readonly Scope[];

const READ_SCOPES = [
  "workspace:read",
  "connections:read",
  "agents:read",
  "policies:read",
  "approvals:read",
  "audit:read",
  "tokens:manage",
  "events:read",
] as const satisfies readonly Scope[];

const MEMBER_SCOPES = [
  ...READ_SCOPES,
  "connections:write",
  "agents:write",
  "policies:write",
  "approvals:decide",
] as const satisfies readonly Scope[];

const ADMIN_SCOPES = [
  ...MEMBER_SCOPES,
  "workspace:write",
  "members:manage",
  "audit:export",
  "channels:manage",
] as const satisfies readonly Scope[];

/**
 * Role → scopes for humans (API.md §2.4). `agents:bootstrap` is in no role: an owner or admin
 * grants it to a PAT explicitly. Member-level "own resources only" rules are enforced by services.
 */
export const ROLE_SCOPES: Readonly<Record<WorkspaceRole, readonly Scope[]>> = {
  owner: [...ADMIN_SCOPES, "workspace:delete"],
  admin: ADMIN_SCOPES,
  member: MEMBER_SCOPES,
  viewer: READ_SCOPES,
};

/** Scopes a personal access token may never carry (they need a live session: API.md §2.4). */
export const PAT_FORBIDDEN_SCOPES = [
  "tokens:manage",
  "members:manage",
  "workspace:delete",
] as const satisfies readonly Scope[];

/** Scopes a user with `role` may put on a new PAT (explicit `agents:bootstrap` for owner/admin). */
export function patGrantableScopes(role: WorkspaceRole): Scope[] {
  const base = ROLE_SCOPES[role].filter((s) => !(PAT_FORBIDDEN_SCOPES as readonly Scope[]).includes(s));
  return role === "owner" || role === "admin" ? [...base, "agents:bootstrap"] : base;
}

export function scopesForRole(role: WorkspaceRole): Scope[] {
  return [...ROLE_SCOPES[role]];
}
