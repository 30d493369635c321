import type { EnvelopeEncryptor } from "@agenthifive/security";
import { sql } from "drizzle-orm";
import { type Database, type DbOrTx, rowsOf } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { createApprovalRepo } from "../approvals/index.js";
import { createConnectionRepo, openCredential } from "../connections/index.js";
import type { WorkspaceEvent } from "../events/index.js";
import { openSecrets } from "./channel-config.js";
import { createNotificationRepo } from "./notifications.repo.js";
import {
  type ChannelTarget,
  createSenders,
  type OutgoingNotification,
  type SenderDeps,
  type SendResult,
} from "./senders.js";

/** Retry schedule after attempts 1, 2, 3 (DATA-MODEL.md §2.7); the 4th failure is final. */
export const DELIVERY_BACKOFF_MS = [60_000, 300_000, 1_800_000] as const;
export const MAX_DELIVERY_ATTEMPTS = DELIVERY_BACKOFF_MS.length + 1;
/** A channel failing this many deliveries in a row is switched off (DATA-MODEL.md §2.7). */
export const AUTO_DISABLE_AFTER = 20;
const LEASE_MS = 60_000;
const CLAIM_BATCH = 50;
const SEND_CONCURRENCY = 8;
const PURGE_BATCH = 1000;

export interface ActionLinkMinter {
  mint(input: { workspaceId: string; approvalId: string; channelId: string }): Promise<{
    url: string;
    approveUrl: string;
    denyUrl: string;
    expiresAt: string;
  }>;
}

export interface OutboxDeps {
  database: Database;
  clock: Clock;
  encryptor: EnvelopeEncryptor;
  http: SenderDeps["http"];
  mailer: SenderDeps["mailer"];
  endpoints?: Partial<SenderDeps["endpoints"]>;
  actionLinks: ActionLinkMinter;
}

/**
 * The transactional outbox of DATA-MODEL.md §2.7: a delivery row per (channel, event) written in
 * the event's transaction, then claimed and sent by the run-once `deliveries` job with backoff.
 */
export function createNotificationOutbox(deps: OutboxDeps) {
  const repo = createNotificationRepo();
  const approvals = createApprovalRepo();
  const connections = createConnectionRepo();
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
    /** Sends a message now (the channel test), outside the outbox. */
    send: (
      target: ChannelTarget,
      secrets: Parameters<typeof senders.send>[1],
      n: OutgoingNotification,
    ): Promise<SendResult> => senders.send(target, secrets, n, deps.clock.now()),

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
      const one = async (c: (typeof claimed)[number]) => {
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
      };
      // A few at a time: one slow receiver (10 s timeout) must not hold up the whole batch
      // past its 60 s lease.
      for (let i = 0; i < claimed.length; i += SEND_CONCURRENCY)
        await Promise.all(claimed.slice(i, i + SEND_CONCURRENCY).map(one));
      return claimed.length;
    },

    /** Spent action links (a day after expiry) and finished deliveries (after 7 days), in batches. */
    async purge() {
      const at = deps.clock.now().toISOString();
      let deleted = 0;
      for (const statement of [
        sql`delete from t_approval_action_tokens where id in (select id from t_approval_action_tokens where expires_at < ${at}::timestamptz - interval '1 day' limit ${PURGE_BATCH})`,
        sql`delete from t_notification_deliveries where id in (select id from t_notification_deliveries where status in ('sent', 'dead') and updated_at < ${at}::timestamptz - interval '7 days' limit ${PURGE_BATCH})`,
      ]) {
        const result = await db.execute(statement);
        deleted += Array.isArray(result)
          ? ((result as { count?: number }).count ?? 0)
          : ((result as { affectedRows?: number }).affectedRows ?? rowsOf(result).length);
      }
      return deleted;
    },
  };
}
export type NotificationOutbox = ReturnType<typeof createNotificationOutbox>;
