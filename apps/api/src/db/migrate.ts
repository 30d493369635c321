import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { type Database, rowsOf } from "./client.js";

// Resolves to apps/api/src/db/migrations both from src/db (tests, tsx) and from dist/db (built).
export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../src/db/migrations", import.meta.url));
export const MIGRATION_LOCK = "ah5:migrate";

/**
 * Applies the committed migrations. On a server, replicas starting together serialise on an
 * advisory lock: the first applies, the others wait and then find nothing to do.
 */
export async function runMigrations(database: Database): Promise<void> {
  await database.withAdvisoryLock(MIGRATION_LOCK, async () => {
    if (database.kind === "pglite") {
      const { migrate: migratePglite } = await import("drizzle-orm/pglite/migrator");
      await migratePglite(database.db as unknown as PgliteDatabase, { migrationsFolder: MIGRATIONS_FOLDER });
    } else {
      await migratePostgres(database.db as unknown as PostgresJsDatabase, {
        migrationsFolder: MIGRATIONS_FOLDER,
      });
    }
  });
}

/** True when every committed migration has been applied (used by /ready). */
export async function migrationsApplied(database: Database, expected: number): Promise<boolean> {
  try {
    const rows = await database.db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    return (rowsOf<{ n: number }>(rows)[0]?.n ?? 0) >= expected;
  } catch {
    return false;
  }
}
