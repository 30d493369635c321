import type { Logger } from "pino";
import type { Database } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import { createGroupCommit } from "../../lib/group-commit.js";
import { newId } from "../../lib/ids.js";
import type { AuditInsert } from "./audit.repo.js";
import { type CanonicalAuditRow, canonicalAuditRow, insertAuditBatch } from "./audit-batch.js";

interface Item {
  id: string;
  row: CanonicalAuditRow;
}

export interface AuditWriterOptions {
  database: Database;
  logger: Logger;
  maxBatch?: number;
}

/**
 * Group commit for the audit trail (DATA-MODEL.md §3.4): events are buffered and written sealed,
 * one statement per batch (audit-batch.ts). `record` resolves only once the event's batch is
 * committed, so a caller that awaits it never answers a request whose audit row could be lost;
 * nothing is written per request outside a batch. A failed batch is retried once, then written
 * workspace by workspace, so that one workspace's rows (say, of a workspace deleted meanwhile)
 * cannot cost the others theirs; callers whose rows could not be written get 503. `close` stops
 * accepting and flushes what is buffered.
 */
export function createAuditWriter(opts: AuditWriterOptions) {
  let closed = false;
  const unavailable = () =>
    new AppError("SERVICE_UNAVAILABLE", "The audit trail is unavailable.", {
      headers: { "retry-after": "1" },
    });

  /** Writes each workspace's rows on their own; the result per item is its id or its error. */
  async function writeByWorkspace(items: Item[]): Promise<(string | AppError)[]> {
    const groups = new Map<string, Item[]>();
    for (const item of items) {
      const group = groups.get(item.row.workspaceId);
      if (group) group.push(item);
      else groups.set(item.row.workspaceId, [item]);
    }
    const failed = new Set<string>();
    for (const [workspaceId, group] of groups) {
      try {
        await insertAuditBatch(
          opts.database,
          group.map((i) => i.row),
        );
      } catch (err) {
        opts.logger.error({ err, workspaceId, rows: group.length }, "audit rows lost after retry");
        failed.add(workspaceId);
      }
    }
    return items.map((i) => (failed.has(i.row.workspaceId) ? unavailable() : i.id));
  }

  const batches = createGroupCommit<Item, string | AppError>({
    maxBatch: opts.maxBatch ?? 500,
    // Two batches in flight on PostgreSQL: the second waits on the first's chain-head lock inside
    // the database and commits right after it, with no round trip in between. The embedded
    // database has a single connection.
    writers: opts.database.kind === "pglite" ? 1 : 2,
    async write(items) {
      const rows = items.map((i) => i.row);
      try {
        await insertAuditBatch(opts.database, rows);
        return items.map((i) => i.id);
      } catch (first) {
        opts.logger.warn({ err: first, rows: rows.length }, "audit batch failed; retrying");
        return writeByWorkspace(items);
      }
    },
  });

  return {
    /** Buffers one event; resolves with its id once committed. */
    record(event: AuditInsert): Promise<string> {
      if (closed) return Promise.reject(new AppError("SERVICE_UNAVAILABLE", "Shutting down."));
      const id = event.id ?? newId();
      let row: CanonicalAuditRow;
      try {
        row = canonicalAuditRow({ ...event, id });
      } catch (err) {
        return Promise.reject(err);
      }
      return batches.submit({ id, row }).then((r) => (typeof r === "string" ? r : Promise.reject(r)));
    },
    /** Buffers an event nobody waits for (its failure is logged, never lost silently). */
    enqueue(event: AuditInsert): void {
      this.record(event).catch((err) =>
        opts.logger.error({ err, action: event.action }, "audit event not written"),
      );
    },
    flush: () => batches.flush(),
    async close() {
      closed = true;
      await batches.flush();
    },
    get pending() {
      return batches.pending;
    },
  };
}
export type AuditWriter = ReturnType<typeof createAuditWriter>;
