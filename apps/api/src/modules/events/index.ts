export { eventRoutes } from "./events.routes.js";
export { createEventHub, EVENT_TYPES, type EventHub, type EventType } from "./events.service.js";
