import { spawn } from "node:child_process";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testSecrets } from "./helpers/app.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "./helpers/database.js";
import { API_MAIN } from "./helpers/processes.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";

/**
 * ARCHITECTURE §6.8: every request that got a response has its audit row. The API is a real
 * process on PostgreSQL; it is killed with SIGKILL in the middle of a load, and every auditId a
 * client received must be in l_audit_events.
 */
const describeWithServer = TEST_DATABASE_URL ? describe : describe.skip;

describeWithServer("crash safety (needs TEST_DATABASE_URL)", () => {
  let db: TestDatabase;
  let upstream: Awaited<ReturnType<typeof startProviderUpstream>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    upstream = await startProviderUpstream();
  });
  afterAll(async () => {
    await upstream?.close();
    await db?.drop();
  });

  it("loses no audit row for a request that received a response when the API is killed", async () => {
    const port = 4600 + Math.floor(Math.random() * 300);
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [API_MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "test",
        PORT: String(port),
        API_PUBLIC_URL: base,
        DATABASE_URL: db.url,
        LOG_LEVEL: "silent",
        REQUIRE_EMAIL_VERIFICATION: "false",
        VAULT_DEV_ALLOW_HOSTS: upstream.host,
        // Load, not abuse: the per-agent anti-abuse limit would answer 429 after 1,200 calls.
        RATE_LIMIT_AGENT_PER_MINUTE: "1000000",
        ...testSecrets(),
      },
      stdio: "ignore",
    });
    try {
      for (let i = 0; i < 200; i++) {
        if ((await fetch(`${base}/ready`).catch(() => null))?.status === 200) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const { seedUser, seedAgent, agentToken, seedConnection, seedPolicy } = await import(
        "../../../bench/lib/seed.mjs"
      );
      const user = await seedUser(base, "http://localhost:3000");
      const agent = await seedAgent(base, user.jwt);
      const connectionId = await seedConnection(base, user.jwt, upstream.origin);
      await seedPolicy(base, user.jwt, agent.agentId, connectionId, upstream.origin);
      const token = await agentToken(base, agent);
      const received: string[] = [];
      let stop = false;
      const worker = async (n: number) => {
        while (!stop) {
          const res = await fetch(`${base}/v1/vault/execute`, {
            method: "POST",
            headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
            body: JSON.stringify({
              model: "B",
              connectionId,
              method: n % 2 ? "GET" : "DELETE",
              url: `${upstream.origin}/v1/items`,
            }),
          }).catch(() => null);
          if (!res) return;
          const body = (await res.json().catch(() => null)) as {
            auditId?: string;
            details?: { auditId?: string };
          } | null;
          const auditId = body?.auditId ?? body?.details?.auditId;
          if (auditId) received.push(auditId);
        }
      };
      const workers = Array.from({ length: 8 }, (_, n) => worker(n));
      await new Promise((r) => setTimeout(r, 1500));
      child.kill("SIGKILL");
      stop = true;
      await Promise.all(workers);
      expect(received.length).toBeGreaterThan(20);
      const sql = postgres(db.url as string, { max: 1 });
      const rows = await sql`select id::text from l_audit_events where id = any(${received}::uuid[])`;
      await sql.end();
      const found = new Set(rows.map((r) => r.id));
      const missing = received.filter((id) => !found.has(id));
      expect(missing).toEqual([]);
    } finally {
      child.kill("SIGKILL");
    }
  }, 90_000);
});
