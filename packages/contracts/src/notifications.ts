import { z } from "zod";
import { pageSchema } from "./pagination.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/** Workspace event types a channel can subscribe to (API.md §3.14–3.15). */
export const NOTIFICATION_EVENT_TYPES = [
  "approval.created",
  "approval.decided",
  "connection.updated",
  "agent.enrolled",
  "policy.updated",
  "permission_request.created",
] as const;
export const NotificationEventTypeSchema = z.enum(NOTIFICATION_EVENT_TYPES);

export const CHANNEL_TYPES = ["slack", "telegram", "webhook", "email"] as const;
export const ChannelTypeSchema = z.enum(CHANNEL_TYPES);

const url = z.string().min(8).max(2048);
const slackChannelId = z.string().regex(/^[A-Z0-9]{6,24}$/, "must be a Slack channel id such as C0123ABCD");
const telegramChatId = z
  .union([z.string(), z.number().int()])
  .transform(String)
  .pipe(z.string().regex(/^(-?\d{1,20}|@[A-Za-z0-9_]{5,32})$/, "must be a numeric chat id or @channelname"));

/** Per-type channel config as a client sends it (secrets are write-only, API.md §3.15). */
export const SlackChannelConfigSchema = z.strictObject({
  webhookUrl: url.optional(),
  channelId: slackChannelId.optional(),
});
export const TelegramChannelConfigSchema = z.strictObject({ chatId: telegramChatId });
export const WebhookChannelConfigSchema = z.strictObject({ url });
export const EmailChannelConfigSchema = z.strictObject({ email: z.email().max(254) });

const common = {
  label: z.string().trim().min(1).max(100),
  events: z.array(NotificationEventTypeSchema).min(1).max(NOTIFICATION_EVENT_TYPES.length).optional(),
  enabled: z.boolean().optional(),
};

export const CreateChannelRequestSchema = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("slack"),
    ...common,
    connectionId: uuid.optional(),
    config: SlackChannelConfigSchema,
  }),
  z.strictObject({
    type: z.literal("telegram"),
    ...common,
    connectionId: uuid,
    config: TelegramChannelConfigSchema,
  }),
  z.strictObject({ type: z.literal("webhook"), ...common, config: WebhookChannelConfigSchema }),
  z.strictObject({ type: z.literal("email"), ...common, config: EmailChannelConfigSchema }),
]);
export type CreateChannelRequest = z.infer<typeof CreateChannelRequestSchema>;

/** `config` is checked against the channel's type by the service (a PATCH cannot change the type). */
export const UpdateChannelRequestSchema = z.strictObject({
  label: common.label.optional(),
  enabled: z.boolean().optional(),
  events: z.array(NotificationEventTypeSchema).min(1).max(NOTIFICATION_EVENT_TYPES.length).optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});
export type UpdateChannelRequest = z.infer<typeof UpdateChannelRequestSchema>;

/** A channel as clients see it: no URL path or query, no signing secret, no bot token. */
export const ChannelSchema = z.object({
  id: uuid,
  type: ChannelTypeSchema,
  label: z.string(),
  enabled: z.boolean(),
  events: z.array(z.string()),
  connectionId: uuid.nullable(),
  config: z.record(z.string(), z.unknown()),
  verified: z.boolean(),
  verifiedAt: z.string().nullable(),
  lastDeliveryAt: z.string().nullable(),
  lastError: z.string().nullable(),
  consecutiveFailures: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Channel = z.infer<typeof ChannelSchema>;
export const ChannelListSchema = pageSchema(ChannelSchema);

export const CreateChannelResponseSchema = z.object({
  channel: ChannelSchema,
  /** Webhook channels only: `whsec_…`, shown once. */
  signingSecret: z.string().optional(),
});
export const RotateChannelSecretResponseSchema = z.object({
  signingSecret: z.string(),
  previousValidUntil: z.string(),
});
export const TestChannelResponseSchema = z.object({ ok: z.literal(true), deliveredAt: z.string() });

export const DELIVERY_STATUSES = ["pending", "sending", "sent", "failed", "dead"] as const;
export const DeliverySchema = z.object({
  id: uuid,
  channelId: uuid,
  eventId: uuid,
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  lastHttpStatus: z.number().int().nullable(),
  deliveredAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Delivery = z.infer<typeof DeliverySchema>;
export const DeliveryListSchema = pageSchema(DeliverySchema);
export const DeliveryListQuerySchema = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

/** POST /v1/action-links/{token}: JSON or an HTML form post (API.md §3.16). */
export const ActionLinkDecisionRequestSchema = z.strictObject({
  decision: z.enum(["approve", "deny"]),
  comment: z.string().max(500).optional(),
  /** The confirmation page's form nonce; required when the decision is posted as a form. */
  nonce: z.string().max(100).optional(),
});

/** What an action link would do: enough for a confirmation page, nothing secret. */
export const ActionLinkPreviewSchema = z.object({
  approvalId: uuid,
  status: z.string(),
  agentName: z.string(),
  connectionLabel: z.string().nullable(),
  request: z.object({ method: z.string(), host: z.string(), path: z.string() }),
  reason: z.string(),
  approvalExpiresAt: z.string(),
  linkExpiresAt: z.string(),
  channelType: ChannelTypeSchema.nullable(),
});
export type ActionLinkPreview = z.infer<typeof ActionLinkPreviewSchema>;
export const ActionLinkResultSchema = z.object({
  approvalId: uuid,
  status: z.enum(["approved", "denied"]),
  decidedAt: z.string(),
});
