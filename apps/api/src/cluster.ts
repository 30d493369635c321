import cluster from "node:cluster";

const RESTART_WINDOW_MS = 10_000;
const MAX_RESTARTS_IN_WINDOW = 5;

/**
 * API_WORKERS > 1: this process only supervises. Each worker is a full API replica (its own
 * caches, jobs under advisory locks, LISTEN connection) listening on the shared port, so one
 * machine's cores serve like replicas behind a load balancer. A worker that dies is replaced;
 * workers dying in a loop stop the supervisor instead of spinning. SIGTERM/SIGINT are passed on,
 * and the supervisor exits once every worker has drained.
 */
export function superviseWorkers(count: number, log: (message: string) => void): void {
  // The kernel hands connections to the workers (they accept on the shared socket). With Node's
  // default round-robin the supervisor accepts and passes each connection on; one in transit to
  // a worker that dies is stranded and its client hangs. Here a dying worker only drops its own.
  cluster.schedulingPolicy = cluster.SCHED_NONE;
  let stopping = false;
  const recentExits: number[] = [];
  // Own count of live workers: cluster.workers keeps a worker until its IPC channel has also
  // closed, which can come after its exit event.
  const live = new Set<number>();
  const fork = () => live.add(cluster.fork().id);

  for (let i = 0; i < count; i++) fork();
  cluster.on("exit", (worker, code, signal) => {
    live.delete(worker.id);
    if (stopping) {
      if (live.size === 0) process.exit(0);
      return;
    }
    const now = Date.now();
    recentExits.push(now);
    while ((recentExits[0] ?? now) < now - RESTART_WINDOW_MS) recentExits.shift();
    log(`worker ${worker.process.pid} exited (${signal ?? code}); starting another`);
    if (recentExits.length > MAX_RESTARTS_IN_WINDOW) {
      log("workers keep exiting: stopping");
      process.exit(1);
    }
    fork();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

export const isWorker = () => cluster.isWorker;
