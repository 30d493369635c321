import type { Logger } from "pino";
import type { Database } from "../db/client.js";

export interface Job {
  name: string;
  everyMs: number;
  /** One bounded batch of work; returns how many items it handled (for the log). */
  run(): Promise<number>;
}

/**
 * Every replica runs the same jobs; each tick takes a PostgreSQL advisory lock named after the job
 * and skips the tick if another replica holds it, so a job runs on exactly one replica at a time
 * (DATA-MODEL.md §3.3). The work itself is idempotent, so a lost lock never double-applies.
 */
export function startJobs(database: Database, logger: Logger, jobs: Job[]) {
  const timers = new Map<string, NodeJS.Timeout>();
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  for (const job of jobs) {
    const tick = async () => {
      if (stopped) return;
      const work = database
        .tryAdvisoryLock(`ah5:job:${job.name}`, job.run)
        .then((n) => {
          if (n) logger.debug({ job: job.name, items: n }, "job tick");
        })
        .catch((err) => logger.error({ err, job: job.name }, "job failed"));
      running.add(work);
      await work;
      running.delete(work);
      if (!stopped) timers.set(job.name, setTimeout(tick, job.everyMs).unref());
    };
    timers.set(job.name, setTimeout(tick, job.everyMs).unref());
  }
  return {
    async stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
      await Promise.allSettled([...running]);
    },
  };
}
