import { sql } from "drizzle-orm";
import {
  boolean,
  foreignKey,
  index,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  unique,
  uuid,
} from "drizzle-orm/pg-core";
import { bytea, instant, stamps } from "./columns.js";
import { connections } from "./connections.js";
import { approvalRequests } from "./policies.js";
import { workspaceIdColumn } from "./tenancy.js";

export const channelType = pgEnum("channel_type", ["slack", "telegram", "webhook", "email"]);
export const deliveryStatus = pgEnum("delivery_status", ["pending", "sending", "sent", "failed", "dead"]);

/** Where approval and security notifications go (DATA-MODEL.md §2.7). Secrets only in the envelope. */
export const notificationChannels = pgTable(
  "t_notification_channels",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    type: channelType("type").notNull(),
    label: text("label").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    events: text("events").array().notNull(),
    connectionId: uuid("connection_id").references(() => connections.id, { onDelete: "set null" }),
    configEnvelope: jsonb("config_envelope").$type<Record<string, unknown>>().notNull(),
    configDisplay: jsonb("config_display").$type<Record<string, unknown>>().notNull().default({}),
    verifiedAt: instant("verified_at"),
    lastDeliveryAt: instant("last_delivery_at"),
    lastError: text("last_error"),
    consecutiveFailures: smallint("consecutive_failures").notNull().default(0),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_notification_channels__workspace_id__id").on(t.workspaceId, t.id),
    unique("uq_t_notification_channels__workspace_id__label").on(t.workspaceId, t.label),
    index("ix_t_notification_channels__workspace_id__enabled__type").on(t.workspaceId, t.enabled, t.type),
  ],
);

/** Transactional outbox: one row per (channel, event), written in the same transaction as the event. */
export const notificationDeliveries = pgTable(
  "t_notification_deliveries",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    channelId: uuid("channel_id").notNull(),
    eventId: uuid("event_id").notNull(),
    eventType: text("event_type").notNull(),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    status: deliveryStatus("status").notNull().default("pending"),
    attempts: smallint("attempts").notNull().default(0),
    nextAttemptAt: instant("next_attempt_at").notNull().defaultNow(),
    lockedUntil: instant("locked_until"),
    lastError: text("last_error"),
    lastHttpStatus: smallint("last_http_status"),
    deliveredAt: instant("delivered_at"),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_notification_deliveries__channel_id__event_id").on(t.channelId, t.eventId),
    index("ix_t_notification_deliveries__next_attempt_at__due")
      .on(t.nextAttemptAt)
      .where(sql`${t.status} IN ('pending', 'failed', 'sending')`),
    index("ix_t_notification_deliveries__workspace_id__channel_id__created_at").on(
      t.workspaceId,
      t.channelId,
      t.createdAt.desc(),
    ),
    foreignKey({
      name: "fk_t_notification_deliveries__channel_id",
      columns: [t.workspaceId, t.channelId],
      foreignColumns: [notificationChannels.workspaceId, notificationChannels.id],
    }).onDelete("cascade"),
  ],
);

/** `ah5a_` tokens embedded in channel links (API.md §3.16): 15 minutes, single use, hashed. */
export const approvalActionTokens = pgTable(
  "t_approval_action_tokens",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    approvalId: uuid("approval_id").notNull(),
    channelId: uuid("channel_id").references(() => notificationChannels.id, { onDelete: "set null" }),
    tokenHash: bytea("token_hash").notNull().unique("uq_t_approval_action_tokens__token_hash"),
    prefix: text("prefix").notNull(),
    expiresAt: instant("expires_at").notNull(),
    usedAt: instant("used_at"),
    ...stamps(),
  },
  (t) => [
    index("ix_t_approval_action_tokens__approval_id").on(t.approvalId),
    foreignKey({
      name: "fk_t_approval_action_tokens__approval_id",
      columns: [t.workspaceId, t.approvalId],
      foreignColumns: [approvalRequests.workspaceId, approvalRequests.id],
    }).onDelete("cascade"),
  ],
);
