/**
 * Group commit: callers submit one item each and wait for its durable result, while the items are
 * written in batches. When a writer is free, a batch starts at the end of the current tick (no
 * added latency when idle); while every writer is busy, what arrives gathers and goes next, so
 * batches grow with load and one commit serves many requests.
 *
 * With one writer, the process alternates: requests pile up behind a commit, the event loop idles,
 * the commit returns, and they all answer at once. A second writer commits while the first is in
 * flight, so the work of the next requests overlaps the previous commit.
 */
export interface GroupCommitOptions<T, R> {
  /** Writes one batch and returns one result per item, in order. A throw fails the whole batch. */
  write(items: T[]): Promise<R[]>;
  /** A full buffer is cut into a batch at once. */
  maxBatch: number;
  /** Batches written at the same time (each on its own connection); default 1. */
  writers?: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export function createGroupCommit<T, R>(opts: GroupCommitOptions<T, R>) {
  const writers = Math.max(1, opts.writers ?? 1);
  let buffer: Pending<T, R>[] = [];
  let scheduled = false;
  let inFlight = 0;
  /** Batches cut and waiting for a free writer. */
  const queue: Pending<T, R>[][] = [];
  let idle: Promise<void> = Promise.resolve();
  let markIdle: (() => void) | undefined;

  async function write(batch: Pending<T, R>[]) {
    try {
      const results = await opts.write(batch.map((p) => p.item));
      for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
    inFlight--;
    // What arrived while all writers were busy goes next, as one batch.
    if (queue.length === 0) cut();
    else start();
    if (inFlight === 0) {
      markIdle?.();
      markIdle = undefined;
    }
  }

  function start() {
    while (inFlight < writers && queue.length > 0) {
      if (!markIdle) {
        idle = new Promise<void>((resolve) => {
          markIdle = resolve;
        });
      }
      inFlight++;
      void write(queue.shift() as Pending<T, R>[]);
    }
  }

  /** Ends the current batch: what is buffered is queued, and written when a writer is free. */
  function cut() {
    scheduled = false;
    if (buffer.length === 0) return;
    queue.push(buffer);
    buffer = [];
    start();
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        buffer.push({ item, resolve, reject });
        if (buffer.length >= opts.maxBatch) cut();
        else if (inFlight < writers && !scheduled) {
          scheduled = true;
          setImmediate(cut);
        }
      });
    },
    /** Starts a new batch with the next item (e.g. when a batch must not hold two of a kind). */
    cut,
    /** Writes everything buffered and resolves when nothing is left to write. */
    async flush(): Promise<void> {
      cut();
      while (inFlight > 0 || buffer.length > 0) {
        await idle;
        cut();
      }
    },
    /** Items buffered and not yet cut into a batch. */
    get pending() {
      return buffer.length;
    },
  };
}
