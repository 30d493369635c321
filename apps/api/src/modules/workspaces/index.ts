export { memberMayAct, notOwner } from "./member-ownership.js";
export { createMembershipCache, type LiveRole } from "./membership-cache.js";
export { workspaceRoutes } from "./workspaces.routes.js";
export { createWorkspaceService, type UserPrincipal, type WorkspaceService } from "./workspaces.service.js";
