import type { Logger } from "pino";
import type { Database } from "../../db/client.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { AuditInsert } from "./audit.repo.js";
import { type AuditBatchRow, insertAuditBatch } from "./audit-batch.js";

interface Pending {
  row: AuditBatchRow;
  resolve: (id: string) => void;
  reject: (e: unknown) => void;
}

export interface AuditWriterOptions {
  database: Database;
  logger: Logger;
  /** Group-commit window. */
  flushIntervalMs?: number;
  maxBatch?: number;
}

/**
 * Group commit for the audit trail (DATA-MODEL.md §3.4): events are buffered and written as one
 * multi-row INSERT every few milliseconds. `record` resolves only once the event's batch is
 * committed, so a caller that awaits it never answers a request whose audit row could be lost;
 * nothing is written per request outside a batch. A failed batch is retried once; then every
 * waiting caller gets 503. `close` stops accepting and flushes what is buffered.
 */
export function createAuditWriter(opts: AuditWriterOptions) {
  const interval = opts.flushIntervalMs ?? 5;
  let writing = 0;
  const maxBatch = opts.maxBatch ?? 500;
  let buffer: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> = Promise.resolve();
  let closed = false;

  async function insert(batch: Pending[]) {
    const rows = batch.map((p) => p.row);
    try {
      await insertAuditBatch(opts.database, rows);
    } catch (first) {
      opts.logger.warn({ err: first, rows: rows.length }, "audit batch failed; retrying once");
      await insertAuditBatch(opts.database, rows);
    }
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (buffer.length === 0) return inFlight;
    const batch = buffer;
    buffer = [];
    // Batches are written one after another, in order, so ingest order follows arrival order.
    writing += 1;
    inFlight = inFlight.then(async () => {
      try {
        await insert(batch);
        for (const p of batch) p.resolve(p.row.id);
      } catch (err) {
        opts.logger.error({ err, rows: batch.length }, "audit batch lost after retry");
        const failure = new AppError("SERVICE_UNAVAILABLE", "The audit trail is unavailable.", {
          headers: { "retry-after": "1" },
        });
        for (const p of batch) p.reject(failure);
      } finally {
        writing -= 1;
        // Adaptive group commit: what arrived while this batch was being written goes next.
        if (buffer.length > 0 && writing === 0) void flush();
      }
    });
    return inFlight;
  }

  return {
    /** Buffers one event; resolves with its id once committed. */
    record(event: AuditInsert): Promise<string> {
      if (closed) return Promise.reject(new AppError("SERVICE_UNAVAILABLE", "Shutting down."));
      const row: AuditBatchRow = { ...event, id: event.id ?? newId() };
      return new Promise<string>((resolve, reject) => {
        buffer.push({ row, resolve, reject });
        if (buffer.length >= maxBatch) void flush();
        else if (writing === 0 && !timer) {
          // Nothing is being written: flush at the end of this tick (low latency when idle).
          timer = setTimeout(() => void flush(), 0);
        } else if (!timer) timer = setTimeout(() => void flush(), interval);
      });
    },
    /** Buffers an event nobody waits for (its failure is logged, never lost silently). */
    enqueue(event: AuditInsert): void {
      this.record(event).catch((err) =>
        opts.logger.error({ err, action: event.action }, "audit event not written"),
      );
    },
    flush,
    async close() {
      closed = true;
      await flush();
    },
    get pending() {
      return buffer.length;
    },
  };
}
export type AuditWriter = ReturnType<typeof createAuditWriter>;
