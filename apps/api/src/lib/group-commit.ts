/**
 * Group commit: callers submit one item each and wait for its durable result, while the items are
 * written in batches, one batch at a time. When nothing is being written, a batch starts at the
 * end of the current tick (no added latency when idle); while one is being written, what arrives
 * gathers and goes next, so batches grow with load and one commit serves many requests.
 */
export interface GroupCommitOptions<T, R> {
  /** Writes one batch and returns one result per item, in order. A throw fails the whole batch. */
  write(items: T[]): Promise<R[]>;
  /** A full buffer is cut into a batch at once. */
  maxBatch: number;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (err: unknown) => void;
}

export function createGroupCommit<T, R>(opts: GroupCommitOptions<T, R>) {
  let buffer: Pending<T, R>[] = [];
  let scheduled = false;
  let writing = false;
  /** Batches cut and waiting for the one being written. */
  const queue: Pending<T, R>[][] = [];
  let idle: Promise<void> = Promise.resolve();
  let markIdle: (() => void) | undefined;

  async function drain() {
    writing = true;
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      try {
        const results = await opts.write(batch.map((p) => p.item));
        for (const [i, p] of batch.entries()) p.resolve(results[i] as R);
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
      // What arrived while this batch was written goes next, as one batch.
      if (queue.length === 0) cut();
    }
    writing = false;
    markIdle?.();
    markIdle = undefined;
  }

  /** Ends the current batch: what is buffered is queued, and written when its turn comes. */
  function cut() {
    scheduled = false;
    if (buffer.length === 0) return;
    queue.push(buffer);
    buffer = [];
    if (!writing) {
      idle = new Promise<void>((resolve) => {
        markIdle = resolve;
      });
      void drain();
    }
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        buffer.push({ item, resolve, reject });
        if (buffer.length >= opts.maxBatch) cut();
        else if (!writing && !scheduled) {
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
      while (writing || buffer.length > 0) {
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
