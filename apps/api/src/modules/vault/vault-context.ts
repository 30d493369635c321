import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { Database } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import { AppError } from "../../lib/errors.js";
import {
  type ConnectionRow,
  createConnectionRepo,
  openCredential,
  type StoredCredential,
} from "../connections/index.js";

const TTL_MS = 60_000;
/** `last_used_at` is written at most once a minute per connection and replica (DATA-MODEL.md). */
const TOUCH_EVERY_MS = 60_000;

export interface LoadedConnection {
  row: ConnectionRow;
  credential: StoredCredential | null;
}

/**
 * The connection and its decrypted credential, cached per replica for the hot path and dropped on
 * every replica by NOTIFY when the connection changes (revoke, reconnect, refresh). The credential
 * only ever lives in this process's memory.
 */
export function createConnectionCache(deps: {
  database: Database;
  encryptor: EnvelopeEncryptor;
  invalidation: InvalidationBus;
}) {
  const repo = createConnectionRepo();
  const cache = new Map<string, { value: LoadedConnection | null; at: number }>();
  const touched = new Map<string, number>();
  deps.invalidation.subscribe((m) => {
    if (m === "all") cache.clear();
    else if (m.k === "connection") cache.delete(m.id);
  });

  return {
    async load(workspaceId: string, id: string): Promise<LoadedConnection | null> {
      const hit = cache.get(id);
      if (hit && Date.now() - hit.at < TTL_MS && (!hit.value || hit.value.row.workspaceId === workspaceId))
        return hit.value;
      const row = await repo.find(deps.database.db, workspaceId, id);
      const value = row
        ? {
            row,
            credential: row.credentialEnvelope
              ? openCredential(deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId)
              : null,
          }
        : null;
      cache.set(id, { value, at: Date.now() });
      return value;
    },
    drop: (id: string) => cache.delete(id),
    /** Records use off the response path; a lost write only makes "last used" a minute staler. */
    touch(workspaceId: string, id: string, now: Date) {
      if (now.getTime() - (touched.get(id) ?? 0) < TOUCH_EVERY_MS) return;
      touched.set(id, now.getTime());
      void repo.touch(deps.database.db, workspaceId, id, now).catch(() => undefined);
    },
  };
}
export type ConnectionCache = ReturnType<typeof createConnectionCache>;

/** Connection states that stop the vault (API.md §3.2). */
export function assertUsable(row: ConnectionRow): void {
  if (row.status === "needs_reauth") {
    throw new AppError("CONNECTION_NEEDS_REAUTH", "The connection needs to be reconnected by a person.", {
      hint: "Ask a workspace member to reconnect this account in the dashboard.",
    });
  }
  if (row.status === "revoked") {
    throw new AppError("CONNECTION_REVOKED", "The connection was revoked.", {
      hint: "Use another connection or request a new one.",
    });
  }
  if (row.status === "error") {
    throw new AppError("CONNECTION_ERROR", "The connection is in an error state.", {
      hint: "Ask a workspace member to test or reconnect it.",
    });
  }
}
