import { performance } from "node:perf_hooks";
import { buildApp } from "./app.js";
import { isWorker, superviseWorkers } from "./cluster.js";
import { ConfigError, loadConfig } from "./config/config.js";
import { createDeps } from "./deps.js";

/** loadConfig → createDeps → buildApp → listen; SIGTERM/SIGINT drain and close cleanly. */
async function main() {
  const startedAt = performance.now();
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\nSee .env.example for every variable.\n`);
      process.exit(78);
    }
    throw e;
  }
  if (config.API_WORKERS > 1 && !isWorker()) {
    superviseWorkers(config.API_WORKERS, (message) => process.stderr.write(`AgentHiFive API: ${message}\n`));
    return;
  }
  const deps = await createDeps(config);
  await deps.start();
  const app = await buildApp(deps);
  await app.listen({ host: config.HOST, port: config.PORT });
  deps.logger.info(
    {
      url: config.API_PUBLIC_URL,
      database: deps.database.kind,
      startupMs: Math.round(performance.now() - startedAt),
    },
    "AgentHiFive API ready",
  );

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    deps.logger.info({ signal }, "shutting down: draining requests");
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await app.close();
      await deps.close();
      process.exit(0);
    } catch (err) {
      deps.logger.error({ err }, "unclean shutdown");
      process.exit(1);
    }
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  process.stderr.write(
    `AgentHiFive API failed to start: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
