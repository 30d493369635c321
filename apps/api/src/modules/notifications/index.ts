export { notificationRoutes } from "./notifications.routes.js";
export {
  type ActionLinkMinter,
  AUTO_DISABLE_AFTER,
  createNotificationService,
  DELIVERY_BACKOFF_MS,
  type NotificationService,
} from "./notifications.service.js";
export { signatureHeader } from "./senders.js";
