export { eventRoutes } from "./events.routes.js";
export {
  createEventHub,
  type EmitHook,
  EVENT_TYPES,
  type EventHub,
  type EventType,
  type WorkspaceEvent,
} from "./events.service.js";
