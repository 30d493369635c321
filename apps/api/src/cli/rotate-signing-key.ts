import { ConfigError, loadConfig } from "../config/config.js";
import { createDeps } from "../deps.js";
import { createLogger } from "../lib/logger.js";

/**
 * `npm run keys:rotate`: a new active JWT signing key; the previous one keeps verifying until
 * every token it signed has expired. Running replicas pick the change up through NOTIFY.
 */
async function main() {
  const config = loadConfig(process.env);
  const deps = await createDeps(config, { logger: createLogger("warn") });
  try {
    await deps.start();
    const { kid, previousKid } = await deps.keys.rotate();
    process.stdout.write(
      `New signing key ${kid} is active${previousKid ? `; ${previousKid} is retiring` : ""}.\n`,
    );
  } finally {
    await deps.close();
  }
}

main().catch((err) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
