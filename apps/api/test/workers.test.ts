import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testSecrets } from "./helpers/app.js";
import { createTestDatabase, TEST_DATABASE_URL, type TestDatabase } from "./helpers/database.js";
import { API_MAIN, freePort } from "./helpers/processes.js";

/**
 * API_WORKERS: one supervisor, several worker processes on one port, each a full replica. Checked
 * from outside: the workers answer, a killed worker is replaced while the others keep serving,
 * and SIGTERM stops everything cleanly.
 */
const describeWithServer = TEST_DATABASE_URL ? describe : describe.skip;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Worker pids: the supervisor's children (Linux /proc). */
function workersOf(pid: number): number[] {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8")
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map(Number);
}

describeWithServer("API_WORKERS on PostgreSQL (needs TEST_DATABASE_URL)", () => {
  let db: TestDatabase;
  let supervisor: ChildProcess;
  let base: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    supervisor = spawn(process.execPath, [API_MAIN], {
      env: {
        PATH: process.env.PATH,
        NODE_ENV: "test",
        PORT: String(port),
        DATABASE_URL: db.url,
        API_WORKERS: "2",
        LOG_LEVEL: "silent",
        ...testSecrets(),
      },
      stdio: "ignore",
    });
    for (let i = 0; i < 300; i++) {
      if ((await fetch(`${base}/ready`).catch(() => null))?.status === 200) break;
      await sleep(50);
    }
  }, 30_000);
  afterAll(async () => {
    if (supervisor.exitCode === null) supervisor.kill("SIGKILL");
    await db?.drop();
  });

  it("serves from two worker processes, replaces a killed one, and stops cleanly", async () => {
    expect((await fetch(`${base}/ready`)).status).toBe(200);
    const pid = supervisor.pid as number;
    let workers: number[] = [];
    for (let i = 0; i < 100 && workers.length < 2; i++) {
      workers = workersOf(pid);
      await sleep(50);
    }
    expect(workers).toHaveLength(2);

    // Requests in flight on the killed worker may fail (status 0); none may hang.
    let stop = false;
    const statuses: number[] = [];
    let hung = 0;
    const load = (async () => {
      while (!stop) {
        const response = await fetch(`${base}/health`, { signal: AbortSignal.timeout(5_000) }).catch(
          (e: Error) => {
            if (e.name === "TimeoutError") hung++;
            return null;
          },
        );
        statuses.push(response?.status ?? 0);
      }
    })();
    process.kill(workers[0] as number, "SIGKILL");
    let replaced: number[] = [];
    for (let i = 0; i < 200; i++) {
      replaced = workersOf(pid);
      if (replaced.length === 2 && !replaced.includes(workers[0] as number)) break;
      await sleep(50);
    }
    const served = statuses.filter((s) => s === 200).length;
    await sleep(300);
    stop = true;
    await load;
    expect(hung).toBe(0);
    expect(replaced).toHaveLength(2);
    expect(replaced).toContain(workers[1]);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(served); // kept serving
    expect((await fetch(`${base}/ready`)).status).toBe(200);

    const exited = new Promise<number | null>((r) => supervisor.once("exit", (code) => r(code)));
    supervisor.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});
