import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { type Database, openDatabase } from "../../src/db/client.js";

/** A server URL for the tests, or undefined to use embedded PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;

export interface TestDatabase {
  database: Database;
  /** The postgres:// URL of this fresh database (server mode only), e.g. for a second process. */
  url: string | undefined;
  /** Opens another handle on the same database (a second replica). */
  openAnother(): Promise<Database>;
  drop(): Promise<void>;
}

/**
 * A fresh, empty database per test file: a new database on TEST_DATABASE_URL's server, or an
 * in-memory PGlite when no server is configured.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (!TEST_DATABASE_URL) {
    const database = await openDatabase({});
    return {
      database,
      url: undefined,
      openAnother: () => Promise.reject(new Error("a second replica needs TEST_DATABASE_URL")),
      drop: () => database.close(),
    };
  }
  const name = `ah5_test_${randomBytes(6).toString("hex")}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => undefined });
  await admin.unsafe(`create database ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const others: Database[] = [];
  const database = await openDatabase({ url: url.toString(), poolMax: 5 });
  return {
    database,
    url: url.toString(),
    async openAnother() {
      const another = await openDatabase({ url: url.toString(), poolMax: 5 });
      others.push(another);
      return another;
    },
    async drop() {
      await Promise.all([database, ...others].map((d) => d.close().catch(() => undefined)));
      const cleanup = postgres(TEST_DATABASE_URL as string, { max: 1, onnotice: () => undefined });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
