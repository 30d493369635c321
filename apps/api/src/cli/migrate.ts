import { join } from "node:path";
import { ConfigError, loadConfig } from "../config/config.js";
import { openDatabase } from "../db/client.js";
import { runMigrations } from "../db/migrate.js";

/** `npm run db:migrate`: applies the committed migrations to DATABASE_URL (or the embedded DB). */
async function main() {
  const config = loadConfig(process.env);
  const database = await openDatabase({ url: config.DATABASE_URL, dataDir: join(config.DATA_DIR, "pglite") });
  try {
    await runMigrations(database);
    process.stdout.write(`Migrations applied (${database.kind}).\n`);
  } finally {
    await database.close();
  }
}

main().catch((err) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
