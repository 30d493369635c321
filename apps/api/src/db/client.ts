import { mkdirSync } from "node:fs";
import type { PGlite } from "@electric-sql/pglite";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "./schema/index.js";

export type Schema = typeof schema;
/** The Drizzle handle both drivers share; repos and services only ever see this. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: repo functions accept either. */
export type DbOrTx = Parameters<Parameters<Db["transaction"]>[0]>[0] | Db;

export type NotifyHandler = (payload: string) => void;

/**
 * One database, whichever engine runs it: embedded PGlite (one process) or a PostgreSQL server
 * (any number of replicas). LISTEN/NOTIFY, advisory locks and migrations work on both.
 */
export interface Database {
  readonly kind: "pglite" | "postgres";
  readonly db: Db;
  /** Subscribes to a NOTIFY channel; resolves to an unsubscribe function. */
  listen(channel: string, handler: NotifyHandler): Promise<() => Promise<void>>;
  /** Runs fn while holding a session-level advisory lock on a dedicated connection. */
  withAdvisoryLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** Runs fn only if the lock is free (jobs that run once across replicas); null if taken. */
  tryAdvisoryLock<T>(key: string, fn: () => Promise<T>): Promise<T | null>;
  /**
   * A raw, parameterised statement, prepared once per connection and reused: for the few hot-path
   * statements where planning a complex query on every call would dominate.
   */
  prepared<T>(text: string, params: readonly unknown[]): Promise<T[]>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** postgres:// URL; absent = PGlite. */
  url?: string;
  /** PGlite data directory; absent = in memory. */
  dataDir?: string;
  poolMax?: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options.poolMax ?? 10) : openPglite(options.dataDir);
}

async function openPglite(dataDir?: string): Promise<Database> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  // Each driver is loaded only when chosen: a server on PostgreSQL never loads PGlite.
  const [{ PGlite: Engine }, { drizzle: drizzlePglite }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("drizzle-orm/pglite"),
  ]);
  const client: PGlite = dataDir ? new Engine(dataDir) : new Engine();
  await client.waitReady;
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  // PGlite is one connection in one process: an advisory lock could only ever conflict with
  // ourselves, so a promise chain gives the same mutual exclusion without deadlocking.
  const locks = new Map<string, Promise<unknown>>();
  const held = new Set<string>();
  return {
    kind: "pglite",
    db,
    async listen(channel, handler) {
      const unsubscribe = await client.listen(channel, handler);
      return async () => unsubscribe();
    },
    async withAdvisoryLock(key, fn) {
      const previous = locks.get(key) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      locks.set(
        key,
        run.catch(() => undefined),
      );
      return run;
    },
    async tryAdvisoryLock(key, fn) {
      if (held.has(key)) return null;
      held.add(key);
      try {
        return await fn();
      } finally {
        held.delete(key);
      }
    },
    async prepared<T>(text: string, params: readonly unknown[]) {
      return (await client.query<T>(text, params as unknown[])).rows;
    },
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await client.close();
    },
  };
}

async function openPostgres(url: string, poolMax: number): Promise<Database> {
  const client = postgres(url, {
    max: poolMax,
    onnotice: () => undefined,
    connection: { application_name: "agenthifive-api" },
  });
  const db = drizzlePostgres(preparingStatements(client), { schema }) as unknown as Db;
  const withLock = async <T>(key: string, fn: () => Promise<T>, wait: boolean): Promise<T | null> => {
    const reserved = await client.reserve();
    try {
      if (wait) {
        await reserved`select pg_advisory_lock(hashtext(${key}))`;
      } else {
        const [row] = await reserved`select pg_try_advisory_lock(hashtext(${key})) as ok`;
        if (!row?.ok) return null;
      }
      try {
        return await fn();
      } finally {
        await reserved`select pg_advisory_unlock(hashtext(${key}))`;
      }
    } finally {
      reserved.release();
    }
  };
  return {
    kind: "postgres",
    db,
    async listen(channel, handler) {
      const sub = await client.listen(channel, (payload) => handler(payload));
      return () => sub.unlisten();
    },
    withAdvisoryLock: (key, fn) => withLock(key, fn, true) as Promise<Awaited<ReturnType<typeof fn>>>,
    tryAdvisoryLock: (key, fn) => withLock(key, fn, false),
    async prepared<T>(text: string, params: readonly unknown[]) {
      return (await client.unsafe(text, params as never[], { prepare: true })) as unknown as T[];
    },
    async ping() {
      await client`select 1`;
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}

/** Rows of a raw `db.execute` result: postgres.js returns an array, PGlite `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

type Sql = ReturnType<typeof postgres>;

/**
 * Drizzle sends every query through `sql.unsafe()` unprepared, which costs PostgreSQL a parse and
 * plan and postgres.js an extra round trip per query (measured: 2.4 ms vs 0.5 ms for a primary-key
 * read). Drizzle's SQL text is stable per query shape, so asking postgres.js to prepare and cache
 * each statement per connection is safe, and it is most of the latency of the hot path.
 * Statements without parameters (migrations, DDL) are left as they are.
 */
function preparingStatements<T extends object>(target: T): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (prop === "unsafe" && typeof value === "function") {
        return (query: string, args: unknown[] = [], options: Record<string, unknown> = {}) =>
          value.call(obj, query, args, args.length > 0 ? { ...options, prepare: true } : options);
      }
      if (prop === "begin" && typeof value === "function") {
        return (...a: unknown[]) => {
          const fn = a[a.length - 1] as (tx: Sql) => unknown;
          return value.apply(obj, [...a.slice(0, -1), (tx: Sql) => fn(preparingStatements(tx))]);
        };
      }
      if (prop === "savepoint" && typeof value === "function") {
        return (...a: unknown[]) => {
          const fn = a[a.length - 1] as (tx: Sql) => unknown;
          return value.apply(obj, [...a.slice(0, -1), (tx: Sql) => fn(preparingStatements(tx))]);
        };
      }
      return typeof value === "function" ? value.bind(obj) : value;
    },
  });
}
