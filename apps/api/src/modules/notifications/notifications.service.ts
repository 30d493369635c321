import type { Channel, CreateChannelRequest, Delivery, UpdateChannelRequest } from "@agenthifive/contracts";
import { type EnvelopeEncryptor, generateToken } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { DevAllowList } from "../../lib/safe-fetch/guard.js";
import { createApprovalRepo } from "../approvals/index.js";
import { auditUserAction } from "../audit/index.js";
import { createConnectionRepo, openCredential } from "../connections/index.js";
import type { WorkspaceEvent } from "../events/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import {
  buildConfig,
  type ChannelSecrets,
  type ChannelType,
  invalidField,
  openSecrets,
  sealSecrets,
} from "./channel-config.js";
import { type ChannelRow, createNotificationRepo, type DeliveryRow } from "./notifications.repo.js";
import { type ChannelTarget, createSenders, type OutgoingNotification, type SenderDeps } from "./senders.js";

/** Retry schedule after attempts 1, 2, 3 (DATA-MODEL.md §2.7); the 4th failure is final. */
export const DELIVERY_BACKOFF_MS = [60_000, 300_000, 1_800_000] as const;
export const MAX_DELIVERY_ATTEMPTS = DELIVERY_BACKOFF_MS.length + 1;
/** A channel failing this many deliveries in a row is switched off (DATA-MODEL.md §2.7). */
export const AUTO_DISABLE_AFTER = 20;
const SECRET_GRACE_MS = 24 * 3600_000;
const LEASE_MS = 60_000;
const CLAIM_BATCH = 50;

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

export interface ActionLinkMinter {
  mint(input: { workspaceId: string; approvalId: string; channelId: string }): Promise<{
    url: string;
    approveUrl: string;
    denyUrl: string;
    expiresAt: string;
  }>;
}

/**
 * Notification channels (API.md §3.15) and their transactional outbox (DATA-MODEL.md §2.7):
 * deliveries are written in the event's transaction and sent by a run-once job with retries.
 */
export function createNotificationService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  encryptor: EnvelopeEncryptor;
  http: SenderDeps["http"];
  mailer: SenderDeps["mailer"];
  endpoints?: Partial<SenderDeps["endpoints"]>;
  devAllowHosts: readonly string[];
  actionLinks: ActionLinkMinter;
}) {
  const repo = createNotificationRepo();
  const approvals = createApprovalRepo();
  const connections = createConnectionRepo();
  const devAllow = new DevAllowList(deps.devAllowHosts);
  const { db } = deps.database;

  async function botToken(target: ChannelTarget, provider: "slack" | "telegram", tx: DbOrTx = db) {
    const row = target.connectionId
      ? await connections.find(tx, target.workspaceId, target.connectionId)
      : undefined;
    if (!row || row.provider !== provider || !row.credentialEnvelope)
      throw new AppError("CONNECTION_REVOKED", "The channel's bot connection is gone.", {
        hint: "Reconnect the bot and update the channel.",
      });
    if (row.status !== "active")
      throw new AppError("CONNECTION_NEEDS_REAUTH", "The channel's bot connection needs to be reconnected.", {
        hint: "Reconnect the bot in Connections, then retry.",
      });
    const credential = openCredential(deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId);
    const token = credential.secret ?? credential.accessToken;
    if (!token) throw new AppError("CONNECTION_ERROR", "The bot connection holds no token.");
    return token;
  }

  const senders = createSenders({
    http: deps.http,
    mailer: deps.mailer,
    endpoints: {
      slackApi: deps.endpoints?.slackApi ?? "https://slack.com/api",
      telegramApi: deps.endpoints?.telegramApi ?? "https://api.telegram.org",
    },
    botToken: (t, provider) => botToken(t, provider),
  });

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

  /** ids + summary for the outbox payload: no secrets, no bodies (DATA-MODEL.md §2.7). */
  async function payloadFor(tx: DbOrTx, e: WorkspaceEvent): Promise<Record<string, unknown>> {
    if (e.type === "approval.created" || e.type === "approval.decided") {
      const found = await approvals.find(tx, e.workspaceId, e.resourceId);
      if (found) {
        const a = found.approval;
        const req = a.requestSummary as { method?: string; host?: string; path?: string };
        return {
          occurredAt: e.occurredAt,
          ids: { approvalId: a.id, agentId: a.agentId, connectionId: a.connectionId },
          summary: {
            agentName: found.agentName,
            method: req.method,
            host: req.host,
            path: req.path,
            reason: a.reason,
            status: a.status,
            decisionChannel: a.decisionChannel,
            expiresAt: a.expiresAt.toISOString(),
          },
        };
      }
    }
    return { occurredAt: e.occurredAt, ids: { resourceId: e.resourceId }, summary: {} };
  }

  /** Sends one claimed delivery and records the outcome on the delivery and its channel. */
  async function deliverOne(d: {
    id: string;
    workspaceId: string;
    channelId: string;
    eventId: string;
    eventType: string;
    payload: Record<string, unknown>;
    attempts: number;
  }) {
    const now = deps.clock.now();
    const channel = await repo.findChannel(db, d.workspaceId, d.channelId);
    if (!channel) return;
    if (!channel.enabled) {
      await repo.finishDelivery(db, d.id, { status: "dead", lastError: "CHANNEL_DISABLED", updatedAt: now });
      return;
    }
    const secrets = openSecrets(deps.encryptor, channel.configEnvelope, channel.id, channel.workspaceId);
    const ids = (d.payload.ids ?? {}) as Record<string, string>;
    const n: OutgoingNotification = {
      deliveryId: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      occurredAt: String(d.payload.occurredAt ?? now.toISOString()),
      workspaceId: d.workspaceId,
      data: { ids, summary: (d.payload.summary ?? {}) as Record<string, unknown> },
    };
    if (d.eventType === "approval.created" && ids.approvalId) {
      const a = await approvals.find(db, d.workspaceId, ids.approvalId);
      // A link only while there is something to decide; a fresh token per attempt (15 min each).
      if (a && a.approval.status === "pending" && a.approval.expiresAt > now)
        n.actions = await deps.actionLinks.mint({
          workspaceId: d.workspaceId,
          approvalId: ids.approvalId,
          channelId: channel.id,
        });
    }
    const result = await senders.send(channel, secrets, n, now);
    if (result.ok) {
      await repo.finishDelivery(db, d.id, {
        status: "sent",
        deliveredAt: now,
        lastError: null,
        lastHttpStatus: result.status,
        updatedAt: now,
      });
      await repo.recordChannelSuccess(db, d.workspaceId, channel.id, now);
      return;
    }
    await recordFailure(d, result.error, result.status);
  }

  /** Backoff 1 m / 5 m / 30 m, then `dead`; the channel counts the failure (auto-disable at 20). */
  async function recordFailure(
    d: { id: string; workspaceId: string; channelId: string; attempts: number },
    error: string,
    status: number | null,
  ) {
    const now = deps.clock.now();
    await repo.finishDelivery(db, d.id, {
      status: d.attempts >= MAX_DELIVERY_ATTEMPTS ? "dead" : "failed",
      lastError: error,
      lastHttpStatus: status,
      nextAttemptAt: new Date(now.getTime() + (DELIVERY_BACKOFF_MS[d.attempts - 1] ?? 0)),
      updatedAt: now,
    });
    await repo.recordChannelFailure(db, d.workspaceId, d.channelId, error, AUTO_DISABLE_AFTER, now);
  }

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
      const result = await senders.send(
        row,
        secrets,
        {
          deliveryId: newId(),
          eventId: newId(),
          eventType: "test",
          occurredAt: now.toISOString(),
          workspaceId: p.workspaceId,
          data: { ids: { channelId: row.id }, summary: {} },
        },
        now,
      );
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

    /**
     * The outbox writer, hooked into every workspace event (in the event's transaction): one
     * delivery per enabled, verified channel subscribed to the type. No channel = one indexed read.
     */
    async enqueue(tx: DbOrTx, e: WorkspaceEvent) {
      const channels = await repo.subscribers(tx, e.workspaceId, e.type);
      if (channels.length === 0) return;
      const payload = await payloadFor(tx, e);
      const now = deps.clock.now();
      await repo.insertDeliveries(
        tx,
        channels.map((c) => ({
          id: newId(),
          workspaceId: e.workspaceId,
          channelId: c.id,
          eventId: e.id,
          eventType: e.type,
          payload,
          nextAttemptAt: now,
          createdAt: now,
          updatedAt: now,
        })),
      );
    },

    /** One job tick: claim due deliveries (SKIP LOCKED) and send them; returns how many. */
    async deliverDue() {
      const claimed = await repo.claimDue(db, deps.clock.now(), LEASE_MS, CLAIM_BATCH);
      for (const c of claimed) {
        const d = {
          id: c.id,
          workspaceId: c.workspace_id,
          channelId: c.channel_id,
          eventId: c.event_id,
          eventType: c.event_type,
          payload: typeof c.payload === "string" ? JSON.parse(c.payload) : c.payload,
          attempts: Number(c.attempts),
        };
        try {
          await deliverOne(d);
        } catch {
          // Unexpected (a decrypt or database error): the row is retried like a failed send.
          // The error itself is not recorded, it could quote the destination.
          await recordFailure(d, "INTERNAL", null);
        }
      }
      return claimed.length;
    },
  };
}
export type NotificationService = ReturnType<typeof createNotificationService>;
