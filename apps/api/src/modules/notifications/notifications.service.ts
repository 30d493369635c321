import type { Channel, CreateChannelRequest, Delivery, UpdateChannelRequest } from "@agenthifive/contracts";
import { generateToken } from "@agenthifive/security";
import type { DbOrTx } from "../../db/client.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { DevAllowList } from "../../lib/safe-fetch/guard.js";
import { auditUserAction } from "../audit/index.js";
import { createConnectionRepo } from "../connections/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import {
  buildConfig,
  type ChannelSecrets,
  type ChannelType,
  invalidField,
  openSecrets,
  sealSecrets,
} from "./channel-config.js";
import { createNotificationOutbox, type OutboxDeps } from "./notification-outbox.js";
import { type ChannelRow, createNotificationRepo, type DeliveryRow } from "./notifications.repo.js";

const SECRET_GRACE_MS = 24 * 3600_000;

function toChannel(r: ChannelRow): Channel {
  return {
    id: r.id,
    type: r.type,
    label: r.label,
    enabled: r.enabled,
    events: r.events,
    connectionId: r.connectionId,
    config: r.configDisplay,
    verified: r.verifiedAt !== null,
    verifiedAt: r.verifiedAt?.toISOString() ?? null,
    lastDeliveryAt: r.lastDeliveryAt?.toISOString() ?? null,
    lastError: r.lastError,
    consecutiveFailures: r.consecutiveFailures,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

function toDelivery(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    channelId: r.channelId,
    eventId: r.eventId,
    eventType: r.eventType,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === "sent" || r.status === "dead" ? null : r.nextAttemptAt.toISOString(),
    lastError: r.lastError,
    lastHttpStatus: r.lastHttpStatus,
    deliveredAt: r.deliveredAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Notification channels (API.md §3.15): admin CRUD, secret rotation and the live test; the
 * outbox (notification-outbox.ts) does the event-driven deliveries.
 */
export function createNotificationService(
  deps: OutboxDeps & { cursors: CursorCodec; devAllowHosts: readonly string[] },
) {
  const repo = createNotificationRepo();
  const outbox = createNotificationOutbox(deps);
  const connections = createConnectionRepo();
  const devAllow = new DevAllowList(deps.devAllowHosts);
  const { db } = deps.database;

  const audit = (
    tx: DbOrTx,
    p: UserPrincipal,
    action: string,
    row: ChannelRow,
    requestId: string,
    details = {},
  ) =>
    auditUserAction(tx, p, deps.clock.now(), {
      action,
      targetType: "notification_channel",
      targetId: row.id,
      requestId,
      // Type and label only: never the config, which may hold a secret URL.
      details: { type: row.type, label: row.label, ...details },
    });

  async function checkConnection(p: UserPrincipal, type: ChannelType, connectionId: string | undefined) {
    if (!connectionId) return null;
    const row = await connections.find(db, p.workspaceId, connectionId);
    if (!row || row.provider !== type || row.status === "revoked") {
      throw invalidField(
        "connectionId",
        `connectionId is not a ${type} bot connection of this workspace.`,
        `Connect a ${type} bot in Connections first, then use its id.`,
      );
    }
    if (row.status !== "active")
      throw new AppError("CONNECTION_NEEDS_REAUTH", "The bot connection needs to be reconnected.", {
        hint: "Reconnect the bot in Connections, then create the channel.",
      });
    return row.id;
  }

  async function forChange(tx: DbOrTx, p: UserPrincipal, id: string) {
    const row = await repo.lockChannel(tx, p.workspaceId, id);
    if (!row) throw notFound("Notification channel");
    return row;
  }

  const labelTaken = () =>
    conflict("A channel with that label already exists.", "label_taken", "Pick another label.");

  return {
    async list(p: UserPrincipal, limit: number, cursor?: string) {
      const filters = { w: p.workspaceId };
      const after = deps.cursors.decode("notification-channels", filters, cursor);
      const rows = await repo.listChannels(db, p.workspaceId, limit, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toChannel,
        (k) => deps.cursors.encode("notification-channels", filters, k),
      );
    },

    async get(p: UserPrincipal, id: string) {
      const row = await repo.findChannel(db, p.workspaceId, id);
      if (!row) throw notFound("Notification channel");
      return toChannel(row);
    },

    /** Webhook channels get a `whsec_` signing secret, returned here once and never again. */
    async create(p: UserPrincipal, input: CreateChannelRequest, requestId: string) {
      const connectionId = await checkConnection(
        p,
        input.type,
        "connectionId" in input ? input.connectionId : undefined,
      );
      const { secrets, display } = buildConfig(input.type, input.config, connectionId, devAllow);
      const signingSecret = input.type === "webhook" ? generateToken("whsec") : undefined;
      if (signingSecret) secrets.signingSecret = signingSecret;
      const id = newId();
      const now = deps.clock.now();
      const row: ChannelRow = {
        id,
        workspaceId: p.workspaceId,
        type: input.type,
        label: input.label,
        enabled: input.enabled ?? true,
        events: input.events ?? ["approval.created"],
        connectionId,
        configEnvelope: sealSecrets(deps.encryptor, secrets, id, p.workspaceId),
        configDisplay: display,
        verifiedAt: null,
        lastDeliveryAt: null,
        lastError: null,
        consecutiveFailures: 0,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.transaction(async (tx) => {
          await repo.insertChannel(tx, row);
          await audit(tx, p, "channel.created", row, requestId);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw labelTaken();
        throw e;
      }
      return { channel: toChannel(row), ...(signingSecret ? { signingSecret } : {}) };
    },

    async update(p: UserPrincipal, id: string, input: UpdateChannelRequest, requestId: string) {
      try {
        return await db.transaction(async (tx) => {
          const row = await forChange(tx, p, id);
          const now = deps.clock.now();
          const set: Partial<ChannelRow> = { updatedAt: now };
          if (input.label !== undefined) set.label = input.label;
          if (input.events !== undefined) set.events = input.events;
          if (input.enabled !== undefined) {
            set.enabled = input.enabled;
            // Switching a channel back on (e.g. after the auto-disable) starts a fresh count.
            if (input.enabled && !row.enabled) set.consecutiveFailures = 0;
          }
          if (input.config !== undefined) {
            const previous = openSecrets(deps.encryptor, row.configEnvelope, row.id, row.workspaceId);
            const built = buildConfig(row.type, input.config, row.connectionId, devAllow, previous);
            set.configEnvelope = sealSecrets(deps.encryptor, built.secrets, row.id, row.workspaceId);
            set.configDisplay = built.display;
            // A new destination must be tested again before it receives approvals.
            set.verifiedAt = null;
          }
          const updated = (await repo.updateChannel(tx, p.workspaceId, id, set)) as ChannelRow;
          await audit(tx, p, "channel.updated", updated, requestId, { fields: Object.keys(input) });
          return toChannel(updated);
        });
      } catch (e) {
        if (isUniqueViolation(e)) throw labelTaken();
        throw e;
      }
    },

    /** Deleting a channel also voids its pending deliveries and its outstanding action links. */
    async remove(p: UserPrincipal, id: string, requestId: string) {
      await db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        await repo.deleteChannel(tx, p.workspaceId, id);
        await audit(tx, p, "channel.deleted", row, requestId);
      });
    },

    /** New secret now; the previous one keeps verifying (second signature) for 24 hours. */
    async rotateSecret(p: UserPrincipal, id: string, requestId: string) {
      return db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        if (row.type !== "webhook")
          throw conflict("Only webhook channels have a signing secret.", "no_signing_secret");
        const now = deps.clock.now();
        const s: ChannelSecrets = openSecrets(deps.encryptor, row.configEnvelope, row.id, row.workspaceId);
        const signingSecret = generateToken("whsec");
        const previousValidUntil = new Date(now.getTime() + SECRET_GRACE_MS).toISOString();
        const next: ChannelSecrets = {
          ...s,
          signingSecret,
          ...(s.signingSecret ? { previousSigningSecret: s.signingSecret, previousValidUntil } : {}),
        };
        await repo.updateChannel(tx, p.workspaceId, id, {
          configEnvelope: sealSecrets(deps.encryptor, next, row.id, row.workspaceId),
          updatedAt: now,
        });
        await audit(tx, p, "channel.secret_rotated", row, requestId);
        return { signingSecret, previousValidUntil };
      });
    },

    /** Sends a test message now; success marks the channel verified (it then receives events). */
    async test(p: UserPrincipal, id: string, requestId: string) {
      const row = await repo.findChannel(db, p.workspaceId, id);
      if (!row) throw notFound("Notification channel");
      const now = deps.clock.now();
      const secrets = openSecrets(deps.encryptor, row.configEnvelope, row.id, row.workspaceId);
      const result = await outbox.send(row, secrets, {
        deliveryId: newId(),
        eventId: newId(),
        eventType: "test",
        occurredAt: now.toISOString(),
        workspaceId: p.workspaceId,
        data: { ids: { channelId: row.id }, summary: {} },
      });
      await db.transaction(async (tx) => {
        await repo.updateChannel(
          tx,
          p.workspaceId,
          id,
          result.ok
            ? { verifiedAt: now, lastDeliveryAt: now, lastError: null, consecutiveFailures: 0 }
            : { lastError: result.error },
        );
        await audit(tx, p, "channel.tested", row, requestId, { ok: result.ok });
      });
      if (!result.ok) {
        throw new AppError("CHANNEL_DELIVERY_FAILED", "The test message could not be delivered.", {
          hint: "Check the channel's destination (URL, chat or bot connection) and that it accepts messages, then test again.",
          details: { reason: result.error, providerStatus: result.status },
        });
      }
      return { ok: true as const, deliveredAt: now.toISOString() };
    },

    async listDeliveries(
      p: UserPrincipal,
      channelId: string,
      status: DeliveryRow["status"] | undefined,
      limit: number,
      cursor?: string,
    ) {
      if (!(await repo.findChannel(db, p.workspaceId, channelId))) throw notFound("Notification channel");
      const filters = { w: p.workspaceId, c: channelId, status };
      const after = deps.cursors.decode("deliveries", filters, cursor);
      const rows = await repo.listDeliveries(db, p.workspaceId, channelId, limit, status, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toDelivery,
        (k) => deps.cursors.encode("deliveries", filters, k),
      );
    },

    /** The outbox writer (an events `onEmit` hook), the `deliveries` job and its purge. */
    enqueue: outbox.enqueue,
    deliverDue: outbox.deliverDue,
    purge: outbox.purge,
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
