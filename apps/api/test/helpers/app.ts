import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { encodeKey, generateKey } from "@agenthifive/security";
import { type App, buildApp } from "../../src/app.js";
import { loadConfig } from "../../src/config/config.js";
import type { Database } from "../../src/db/client.js";
import { createDeps, type Deps, type DepsOverrides } from "../../src/deps.js";
import { createLogger } from "../../src/lib/logger.js";
import { createTestDatabase, type TestDatabase } from "./database.js";

export const WEB_ORIGIN = "http://localhost:3000";
export const API_URL = "http://localhost:4000";

export interface TestApp {
  app: App;
  deps: Deps;
  testDb: TestDatabase | undefined;
  close(): Promise<void>;
}

/** Secrets shared by every instance of one test (replicas must agree on them). */
export function testSecrets() {
  return {
    AUTH_SECRET: "test-auth-secret-0123456789abcdef0123456789",
    ENCRYPTION_KEYS: `test-1:${encodeKey(generateKey())}`,
  };
}

export interface BuildTestAppOptions extends DepsOverrides {
  env?: Record<string, string>;
  /** Reuse an existing database (a second replica); otherwise a fresh one is created. */
  sharedDatabase?: Database;
}

/** The real app on a fresh database, with test-friendly config; no module mocking. */
export async function buildTestApp(options: BuildTestAppOptions = {}): Promise<TestApp> {
  const { env = {}, sharedDatabase, ...overrides } = options;
  const config = loadConfig({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    DATA_DIR: mkdtempSync(join(tmpdir(), "ah5-test-")),
    API_PUBLIC_URL: API_URL,
    WEB_URL: WEB_ORIGIN,
    ...testSecrets(),
    // Generous anti-abuse limits: tests make many calls from one address. The limits
    // themselves have their own test with the production defaults.
    AGENT_BOOTSTRAP_PER_MINUTE_PER_IP: "10000",
    AGENT_BOOTSTRAP_PER_HOUR_PER_IP: "10000",
    AGENT_TOKEN_PER_MINUTE_PER_IP: "10000",
    AGENT_TOKEN_PER_MINUTE_PER_AGENT: "10000",
    RATE_LIMIT_HUMAN_PER_MINUTE: "100000",
    SESSION_EXCHANGE_PER_MINUTE_PER_IP: "100000",
    RATE_LIMIT_AGENT_PER_MINUTE: "100000",
    ...env,
  });
  const testDb = sharedDatabase ? undefined : await createTestDatabase();
  const database = sharedDatabase ?? testDb?.database;
  const deps = await createDeps(config, {
    logger: overrides.logger ?? createLogger("silent"),
    authRateLimit: false,
    jobs: false,
    ...overrides,
    database,
  });
  await deps.start();
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    testDb,
    async close() {
      await app.close();
      await deps.auditWriter.close();
      await deps.events.stop();
      await deps.invalidation.stop();
      await testDb?.drop();
    },
  };
}
