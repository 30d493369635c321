import { sql } from "drizzle-orm";
import type { Database, DbOrTx } from "./client.js";

export const INVALIDATE_CHANNEL = "ah5_invalidate";

export type InvalidationKind =
  | "agent_token"
  | "agent"
  | "pat"
  | "member"
  | "session"
  | "policy"
  | "connection"
  | "signing_key"
  | "approval"
  | "user";

/** Ids only: never secrets or agent-supplied text (DATA-MODEL.md §3.1). */
export interface InvalidationMessage {
  k: InvalidationKind;
  id: string;
  w?: string;
}

export type InvalidationHandler = (message: InvalidationMessage | "all") => void;

/**
 * Cross-replica cache invalidation over LISTEN/NOTIFY. `publish` runs inside the writing
 * transaction, so other replicas hear about a change only once it is committed.
 */
export interface InvalidationBus {
  publish(tx: DbOrTx, message: InvalidationMessage): Promise<void>;
  subscribe(handler: InvalidationHandler): () => void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createInvalidationBus(database: Database): InvalidationBus {
  const handlers = new Set<InvalidationHandler>();
  let unlisten: (() => Promise<void>) | undefined;
  const dispatch = (m: InvalidationMessage | "all") => {
    for (const h of handlers) h(m);
  };
  return {
    async publish(tx, message) {
      await tx.execute(sql`select pg_notify(${INVALIDATE_CHANNEL}, ${JSON.stringify(message)})`);
      // This replica drops its entries at once; the NOTIFY echo after commit drops them again,
      // which also covers a request that re-cached the old row before the commit.
      dispatch(message);
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async start() {
      unlisten = await database.listen(INVALIDATE_CHANNEL, (payload) => {
        try {
          dispatch(JSON.parse(payload) as InvalidationMessage);
        } catch {
          dispatch("all");
        }
      });
      // We may have missed messages while not listening: drop everything once.
      dispatch("all");
    },
    async stop() {
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
