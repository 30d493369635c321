export { type ActionLinkRoutesOptions, actionLinkRoutes } from "./action-links.routes.js";
export {
  ACTION_LINK_TTL_MS,
  type ActionLinkService,
  createActionLinkService,
} from "./action-links.service.js";
