import { and, arrayContains, desc, eq, isNotNull, lt, sql } from "drizzle-orm";
import { type DbOrTx, rowsOf } from "../../db/client.js";
import { notificationChannels, notificationDeliveries } from "../../db/schema/index.js";

export type ChannelRow = typeof notificationChannels.$inferSelect;
export type DeliveryRow = typeof notificationDeliveries.$inferSelect;

/** A delivery as the claim query returns it (raw SQL: snake_case columns). */
export interface ClaimedDelivery {
  id: string;
  workspace_id: string;
  channel_id: string;
  event_id: string;
  event_type: string;
  payload: Record<string, unknown> | string;
  attempts: number;
  created_at: Date | string;
}

/** Every query is scoped by workspace (API.md S1), except the outbox claim, which is the job's. */
export function createNotificationRepo() {
  return {
    insertChannel: (db: DbOrTx, row: typeof notificationChannels.$inferInsert) =>
      db.insert(notificationChannels).values(row),
    findChannel: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(notificationChannels)
          .where(and(eq(notificationChannels.workspaceId, workspaceId), eq(notificationChannels.id, id)))
          .limit(1)
      )[0],
    lockChannel: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(notificationChannels)
          .where(and(eq(notificationChannels.workspaceId, workspaceId), eq(notificationChannels.id, id)))
          .for("update")
      )[0],
    listChannels: (db: DbOrTx, workspaceId: string, limit: number, afterId?: string) =>
      db
        .select()
        .from(notificationChannels)
        .where(
          and(
            eq(notificationChannels.workspaceId, workspaceId),
            afterId ? lt(notificationChannels.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(notificationChannels.id))
        .limit(limit + 1),
    updateChannel: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      set: Partial<typeof notificationChannels.$inferInsert>,
    ) =>
      (
        await db
          .update(notificationChannels)
          .set(set)
          .where(and(eq(notificationChannels.workspaceId, workspaceId), eq(notificationChannels.id, id)))
          .returning()
      )[0],
    deleteChannel: (db: DbOrTx, workspaceId: string, id: string) =>
      db
        .delete(notificationChannels)
        .where(and(eq(notificationChannels.workspaceId, workspaceId), eq(notificationChannels.id, id))),
    /** Outbox targets: enabled, verified channels of the workspace subscribed to the event type. */
    subscribers: (db: DbOrTx, workspaceId: string, eventType: string) =>
      db
        .select({ id: notificationChannels.id })
        .from(notificationChannels)
        .where(
          and(
            eq(notificationChannels.workspaceId, workspaceId),
            eq(notificationChannels.enabled, true),
            isNotNull(notificationChannels.verifiedAt),
            arrayContains(notificationChannels.events, [eventType]),
          ),
        ),
    insertDeliveries: (db: DbOrTx, rows: (typeof notificationDeliveries.$inferInsert)[]) =>
      db.insert(notificationDeliveries).values(rows).onConflictDoNothing(),
    /**
     * The claim of DATA-MODEL.md §2.7 with the injected clock instead of now(): due rows that are
     * not leased, oldest first, SKIP LOCKED so replicas never claim the same row.
     */
    claimDue: async (db: DbOrTx, now: Date, leaseMs: number, limit: number) =>
      rowsOf<ClaimedDelivery>(
        await db.execute(sql`
          update t_notification_deliveries
             set status = 'sending',
                 locked_until = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz,
                 attempts = attempts + 1,
                 updated_at = ${now.toISOString()}::timestamptz
           where id in (
             select id from t_notification_deliveries
              where status in ('pending', 'failed', 'sending')
                and next_attempt_at <= ${now.toISOString()}::timestamptz
                and (status <> 'sending' or locked_until < ${now.toISOString()}::timestamptz)
              order by next_attempt_at
              limit ${limit}
              for update skip locked)
          returning id, workspace_id, channel_id, event_id, event_type, payload, attempts, created_at`),
      ),
    finishDelivery: (db: DbOrTx, id: string, set: Partial<typeof notificationDeliveries.$inferInsert>) =>
      db
        .update(notificationDeliveries)
        .set({ ...set, lockedUntil: null })
        .where(and(eq(notificationDeliveries.id, id), eq(notificationDeliveries.status, "sending"))),
    /** Channel health after a delivery: reset on success, count and maybe auto-disable on failure. */
    recordChannelSuccess: (db: DbOrTx, workspaceId: string, id: string, at: Date) =>
      db
        .update(notificationChannels)
        .set({ lastDeliveryAt: at, lastError: null, consecutiveFailures: 0 })
        .where(and(eq(notificationChannels.workspaceId, workspaceId), eq(notificationChannels.id, id))),
    recordChannelFailure: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      error: string,
      disableAfter: number,
      at: Date,
    ) =>
      (
        await db
          .update(notificationChannels)
          .set({
            lastError: error,
            consecutiveFailures: sql`least(${notificationChannels.consecutiveFailures} + 1, 32000)`,
            enabled: sql`${notificationChannels.enabled} and ${notificationChannels.consecutiveFailures} + 1 < ${disableAfter}`,
            updatedAt: at,
          })
          .where(and(eq(notificationChannels.workspaceId, workspaceId), eq(notificationChannels.id, id)))
          .returning({ enabled: notificationChannels.enabled })
      )[0],
    listDeliveries: (
      db: DbOrTx,
      workspaceId: string,
      channelId: string,
      limit: number,
      status: DeliveryRow["status"] | undefined,
      afterId?: string,
    ) =>
      db
        .select()
        .from(notificationDeliveries)
        .where(
          and(
            eq(notificationDeliveries.workspaceId, workspaceId),
            eq(notificationDeliveries.channelId, channelId),
            status ? eq(notificationDeliveries.status, status) : undefined,
            afterId ? lt(notificationDeliveries.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(notificationDeliveries.id))
        .limit(limit + 1),
  };
}
export type NotificationRepo = ReturnType<typeof createNotificationRepo>;
