export { capabilityRoutes } from "./capabilities.routes.js";
export { type CapabilityService, createCapabilityService } from "./capabilities.service.js";
export { grantedActions } from "./granted-actions.js";
export {
  createPermissionRequestService,
  type PermissionRequestService,
} from "./permission-requests.service.js";
