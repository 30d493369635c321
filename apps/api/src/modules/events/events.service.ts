import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "../../db/client.js";
import { workspaceEvents } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";

export const EVENTS_CHANNEL = "ah5_events";
export const EVENT_TYPES = [
  "approval.created",
  "approval.decided",
  "connection.updated",
  "agent.enrolled",
  "policy.updated",
  "permission_request.created",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface WorkspaceEvent {
  id: string;
  type: EventType;
  resourceId: string;
  workspaceId: string;
  occurredAt: string;
}

const REPLAY_WINDOW_MS = 3600_000;
const REPLAY_MAX = 1000;

type Listener = (event: WorkspaceEvent) => void;
/** Runs inside the emitting transaction (e.g. the notification outbox); a failure aborts it. */
export type EmitHook = (tx: DbOrTx, event: WorkspaceEvent) => Promise<void>;

/**
 * Live events for the dashboard (API.md §3.14): written in the changing transaction, announced
 * with NOTIFY (ids only, delivered on commit), fanned out by every replica to its own SSE
 * subscribers of that workspace. Clients refetch the resource with their own permissions.
 */
export function createEventHub(database: Database, now: () => Date) {
  const listeners = new Map<string, Set<Listener>>();
  const hooks: EmitHook[] = [];
  let unlisten: (() => Promise<void>) | undefined;

  return {
    /** Records and announces an event inside the caller's transaction. */
    async emit(tx: DbOrTx, e: { workspaceId: string; type: EventType; resourceId: string }) {
      const id = newId();
      const occurredAt = now();
      await tx
        .insert(workspaceEvents)
        .values({ id, workspaceId: e.workspaceId, type: e.type, resourceId: e.resourceId, occurredAt });
      const payload = JSON.stringify({
        id,
        w: e.workspaceId,
        t: e.type,
        r: e.resourceId,
        at: occurredAt.toISOString(),
      });
      await tx.execute(sql`select pg_notify(${EVENTS_CHANNEL}, ${payload})`);
      const event = {
        id,
        type: e.type,
        resourceId: e.resourceId,
        workspaceId: e.workspaceId,
        occurredAt: occurredAt.toISOString(),
      };
      for (const hook of hooks) await hook(tx, event);
    },

    /** Adds work to every emit, in the emitting transaction (the transactional outbox). */
    onEmit(hook: EmitHook) {
      hooks.push(hook);
    },

    subscribe(workspaceId: string, listener: Listener): () => void {
      const set = listeners.get(workspaceId) ?? new Set();
      set.add(listener);
      listeners.set(workspaceId, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(workspaceId);
      };
    },

    /**
     * Events after `lastEventId` within the replay window, or "reset" when that id is unknown or
     * too old (the client then refetches its lists).
     */
    async replay(workspaceId: string, lastEventId: string): Promise<WorkspaceEvent[] | "reset"> {
      const [anchor] = await database.db
        .select({ id: workspaceEvents.id, occurredAt: workspaceEvents.occurredAt })
        .from(workspaceEvents)
        .where(and(eq(workspaceEvents.workspaceId, workspaceId), eq(workspaceEvents.id, lastEventId)));
      if (!anchor || now().getTime() - anchor.occurredAt.getTime() > REPLAY_WINDOW_MS) return "reset";
      const rows = await database.db
        .select()
        .from(workspaceEvents)
        .where(and(eq(workspaceEvents.workspaceId, workspaceId), gt(workspaceEvents.id, lastEventId)))
        .orderBy(asc(workspaceEvents.id))
        .limit(REPLAY_MAX + 1);
      if (rows.length > REPLAY_MAX) return "reset";
      return rows.map((r) => ({
        id: r.id,
        type: r.type as EventType,
        resourceId: r.resourceId,
        workspaceId: r.workspaceId,
        occurredAt: r.occurredAt.toISOString(),
      }));
    },

    async start() {
      unlisten = await database.listen(EVENTS_CHANNEL, (payload) => {
        try {
          const m = JSON.parse(payload) as { id: string; w: string; t: EventType; r: string; at: string };
          const event: WorkspaceEvent = {
            id: m.id,
            workspaceId: m.w,
            type: m.t,
            resourceId: m.r,
            occurredAt: m.at,
          };
          for (const l of listeners.get(m.w) ?? []) l(event);
        } catch {
          // A malformed payload cannot come from us; ignore it.
        }
      });
    },
    async stop() {
      await unlisten?.();
    },
  };
}
export type EventHub = ReturnType<typeof createEventHub>;
