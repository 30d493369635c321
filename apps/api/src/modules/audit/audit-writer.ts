import type { Logger } from "pino";
import type { Database } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import { createGroupCommit } from "../../lib/group-commit.js";
import { newId } from "../../lib/ids.js";
import type { AuditInsert } from "./audit.repo.js";
import { type AuditBatchRow, createAuditAppender } from "./audit-batch.js";

export interface AuditWriterOptions {
  database: Database;
  logger: Logger;
  maxBatch?: number;
}

/**
 * Group commit for the audit trail (DATA-MODEL.md §3.4): events are buffered and written sealed,
 * one statement per batch (audit-batch.ts). `record` resolves only once the event's batch is committed, so a
 * caller that awaits it never answers a request whose audit row could be lost; nothing is written
 * per request outside a batch. A failed batch is retried once; then every waiting caller gets
 * 503. `close` stops accepting and flushes what is buffered.
 */
export function createAuditWriter(opts: AuditWriterOptions) {
  let closed = false;
  const appender = createAuditAppender(opts.database);
  const batches = createGroupCommit<AuditBatchRow, string>({
    maxBatch: opts.maxBatch ?? 500,
    // One batch in flight: each is chained to the tip the previous one left. With two, the
    // second often reached PostgreSQL first, found the head not yet moved and fell back to the
    // locked path (measured: nearly every other batch), which halved throughput.
    writers: 1,
    async write(rows) {
      try {
        await appender.append(rows, (err) =>
          opts.logger.warn({ err, rows: rows.length }, "audit batch failed; retrying"),
        );
      } catch (err) {
        opts.logger.error({ err, rows: rows.length }, "audit batch lost after retry");
        throw new AppError("SERVICE_UNAVAILABLE", "The audit trail is unavailable.", {
          headers: { "retry-after": "1" },
        });
      }
      return rows.map((r) => r.id);
    },
  });

  return {
    /** Buffers one event; resolves with its id once committed. */
    record(event: AuditInsert): Promise<string> {
      if (closed) return Promise.reject(new AppError("SERVICE_UNAVAILABLE", "Shutting down."));
      return batches.submit({ ...event, id: event.id ?? newId() });
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
