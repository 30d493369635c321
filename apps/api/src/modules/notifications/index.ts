export {
  type ActionLinkMinter,
  AUTO_DISABLE_AFTER,
  DELIVERY_BACKOFF_MS,
  MAX_DELIVERY_ATTEMPTS,
} from "./notification-outbox.js";
export { notificationRoutes } from "./notifications.routes.js";
export { createNotificationService, type NotificationService } from "./notifications.service.js";
export { signatureHeader } from "./senders.js";
