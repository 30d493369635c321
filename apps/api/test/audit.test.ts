import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DbOrTx, rowsOf } from "../src/db/client.js";
import { auditEvents } from "../src/db/schema/index.js";
import { newId } from "../src/lib/ids.js";
import { neutraliseFormula } from "../src/modules/audit/audit.service.js";
import { chainHash, GENESIS_HASH } from "../src/modules/audit/audit-chain.js";
import {
  type AuditWriter,
  createAuditWriter,
  sealAuditBacklog,
  sealAuditBatch,
  verifyAuditChain,
} from "../src/modules/audit/index.js";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";
import { memberWithRole } from "./helpers/notifications.js";

let t: TestApp;
let owner: SignedInUser;
beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.app, t.deps, "auditor@example.com", "Aud");
});
afterAll(async () => {
  await t?.close();
});

const record = (action: string, details: Record<string, unknown> = {}) =>
  t.deps.auditWriter.record({
    workspaceId: owner.workspaceId,
    occurredAt: new Date(),
    actorType: "system",
    action,
    outcome: "success",
    details,
  });

describe("audit writer (group commit)", () => {
  it("writes concurrent events in a few multi-row batches and resolves once committed", async () => {
    const ids = await Promise.all(Array.from({ length: 300 }, (_, i) => record("test.batched", { i })));
    expect(new Set(ids).size).toBe(300);
    const rows = await t.deps.database.db.query.auditEvents.findMany({
      where: (e, { eq }) => eq(e.action, "test.batched"),
    });
    expect(rows).toHaveLength(300);
  });

  it("flushes what is buffered on close", async () => {
    const writer = (await import("../src/modules/audit/index.js")).createAuditWriter({
      database: t.deps.database,
      logger: t.deps.logger,
    });
    const pending = writer.record({
      workspaceId: owner.workspaceId,
      occurredAt: new Date(),
      actorType: "system",
      action: "test.on-close",
      outcome: "success",
    });
    expect(writer.pending).toBe(1);
    await writer.close();
    expect(await pending).toEqual(expect.any(String));
    await expect(
      writer.record({
        workspaceId: owner.workspaceId,
        occurredAt: new Date(),
        actorType: "system",
        action: "x",
        outcome: "success",
      }),
    ).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
  });
});

/** Rows as a replica of an older version wrote them: unsealed, for the sealer job. */
const insertUnsealed = (workspaceId: string, n: number, action: string) =>
  t.deps.database.db.execute(sql`
    insert into l_audit_events (id, workspace_id, occurred_at, actor_type, action, outcome, details)
    select gen_random_uuid(), ${workspaceId}::uuid, now(), 'system', ${action}, 'success',
      jsonb_build_object('i', i)
    from generate_series(1, ${n}) as i`);

const chainOf = async (workspaceId: string) =>
  rowsOf<{ seq: string | number | null }>(
    await t.deps.database.db.execute(
      sql`select seq from l_audit_events where workspace_id = ${workspaceId} order by ingest_no`,
    ),
  ).map((r) => (r.seq === null ? null : Number(r.seq)));

const sealAll = async () => {
  while ((await sealAuditBatch(t.deps.database)) > 0);
};

describe("hash chain", () => {
  it("rows are sealed as they are written: consecutive seq, verified, nothing left for the sealer", async () => {
    // Admin actions are written unsealed inside their own transactions (sign-up made some).
    await sealAll();
    const id = await record("test.chain", { n: 1, nested: { b: [1, "x", null], a: new Date(0) } });
    const [row] = rowsOf<{ seq: string | number | null }>(
      await t.deps.database.db.execute(sql`select seq from l_audit_events where id = ${id}`),
    );
    expect(Number(row?.seq)).toBe((await chainOf(owner.workspaceId)).length);
    expect(await sealAuditBatch(t.deps.database)).toBe(0);
    const res = await t.app.inject({ method: "GET", url: "/v1/audit/verify", headers: bearer(owner.token) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ ok: true, firstSeq: 1 });
    expect(body.checked).toBeGreaterThan(300);
    expect(body.lastSeq).toBe(body.checked);
  });

  it("concurrent writers (two handles on the database when it is a server) keep one gapless chain per workspace", async () => {
    const other = await createUser(t.app, t.deps, "auditor2@example.com", "Aud2");
    const second = t.testDb?.url ? await t.testDb.openAnother() : t.deps.database;
    const writers = [t.deps.auditWriter, createAuditWriter({ database: second, logger: t.deps.logger })];
    const event = (workspaceId: string, i: number) => ({
      workspaceId,
      occurredAt: new Date(),
      actorType: "system" as const,
      action: "test.concurrent",
      outcome: "success" as const,
      details: { i },
    });
    await Promise.all(
      Array.from({ length: 600 }, (_, i) =>
        (writers[i % 2] as AuditWriter).record(event(i % 3 === 0 ? other.workspaceId : owner.workspaceId, i)),
      ),
    );
    await writers[1]?.close();
    await sealAll();
    for (const workspaceId of [owner.workspaceId, other.workspaceId]) {
      const seqs = await chainOf(workspaceId);
      expect(seqs.slice().sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(seqs.map((_, i) => i + 1));
      expect(await verifyAuditChain(t.deps.database, workspaceId)).toMatchObject({
        ok: true,
        checked: seqs.length,
      });
    }
  });

  it("rows of a workspace that cannot take them fail alone; the batch's other rows are written", async () => {
    const event = (workspaceId: string, action: string) =>
      t.deps.auditWriter.record({
        workspaceId,
        occurredAt: new Date(),
        actorType: "system",
        action,
        outcome: "success",
      });
    // Recorded in one tick: one batch, two workspaces, one of which does not exist.
    const [gone, kept] = await Promise.allSettled([
      event("00000000-0000-7000-8000-0000000000ff", "test.gone-workspace"),
      event(owner.workspaceId, "test.kept"),
    ]);
    expect(gone).toMatchObject({ status: "rejected", reason: { code: "SERVICE_UNAVAILABLE" } });
    expect(kept.status).toBe("fulfilled");
    const id = (kept as PromiseFulfilledResult<string>).value;
    const [row] = rowsOf<{ seq: unknown }>(
      await t.deps.database.db.execute(sql`select seq from l_audit_events where id = ${id}`),
    );
    expect(row?.seq).not.toBeNull();
  });

  it("odd strings are stored as U+FFFD; an event that cannot be serialised or stored fails alone", async () => {
    const odd = record("test.odd", {
      "key\u0000": "nul \u0000 and lone \ud800 surrogate",
      ok: "😀",
      lines: "a\nb\r\u2028c",
    });
    const unserialisable = record("test.bigint", { n: 10n });
    const badId = t.deps.auditWriter.record({
      workspaceId: owner.workspaceId,
      occurredAt: new Date(),
      actorType: "system",
      action: "test.bad-id",
      outcome: "success",
      targetId: "not-a-uuid",
    });
    const neighbour = record("test.neighbour");
    await expect(unserialisable).rejects.toThrow(/BigInt/);
    await expect(badId).rejects.toThrow(/targetId is not a UUID/);
    await expect(
      t.deps.auditWriter.record({
        workspaceId: owner.workspaceId,
        occurredAt: new Date(),
        actorType: "agent",
        action: "test.bad-number",
        outcome: "success",
        latencyMs: 2.5,
      }),
    ).rejects.toThrow(/latencyMs is not an integer/);
    const [oddId] = await Promise.all([odd, neighbour]);
    const [row] = rowsOf<{ details: Record<string, string> }>(
      await t.deps.database.db.execute(sql`select details from l_audit_events where id = ${oddId}`),
    );
    expect(row?.details).toEqual({
      "key\uFFFD": "nul \uFFFD and lone \uFFFD surrogate",
      ok: "😀",
      lines: "a\nb\r\u2028c",
    });
    await sealAll();
    expect(await verifyAuditChain(t.deps.database, owner.workspaceId)).toMatchObject({ ok: true });
  });

  it("a batch that fails leaves the chain as it was, and the next one continues it", async () => {
    await sealAll();
    const before = await chainOf(owner.workspaceId);
    await expect(
      t.deps.auditWriter.record({
        workspaceId: "00000000-0000-7000-8000-000000000000",
        occurredAt: new Date(),
        actorType: "system",
        action: "test.no-such-workspace",
        outcome: "success",
      }),
    ).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    await record("test.after-failure");
    const after = await chainOf(owner.workspaceId);
    expect(after).toHaveLength(before.length + 1);
    expect(Math.max(...(after as number[]))).toBe(before.length + 1);
    expect(await verifyAuditChain(t.deps.database, owner.workspaceId)).toMatchObject({ ok: true });
  });

  it("rows an older replica wrote unsealed are sealed by the sealer's tick, within its time budget, after the others", async () => {
    await sealAll();
    const sealedBefore = (await chainOf(owner.workspaceId)).length;
    await insertUnsealed(owner.workspaceId, 2_300, "test.backlog");
    expect(await sealAuditBacklog(t.deps.database, 0)).toBe(1_000); // a spent budget: one batch
    await record("test.between-ticks"); // sealed at once, after the rows sealed so far
    expect(await sealAuditBacklog(t.deps.database, 60_000)).toBe(1_300); // the rest in one tick
    expect(await sealAuditBacklog(t.deps.database)).toBe(0);
    const seqs = await chainOf(owner.workspaceId);
    expect(seqs).not.toContain(null);
    expect(Math.max(...(seqs as number[]))).toBe(sealedBefore + 2_301);
    const res = await t.app.inject({ method: "GET", url: "/v1/audit/verify", headers: bearer(owner.token) });
    expect(res.json()).toMatchObject({ ok: true, checked: sealedBefore + 2_301 });
  });

  it("refuses to change a sealed row (append-only trigger)", async () => {
    await expect(
      t.deps.database.db.execute(
        sql`update l_audit_events set action = 'forged' where workspace_id = ${owner.workspaceId} and seq = 1`,
      ),
    ).rejects.toThrow();
    await expect(
      t.deps.database.db.execute(
        sql`delete from l_audit_events where workspace_id = ${owner.workspaceId} and seq = 2`,
      ),
    ).rejects.toThrow();
  });

  it("detects a row modified directly in the database", async () => {
    await t.deps.database.db.execute(
      sql`alter table l_audit_events disable trigger tr_l_audit_events__protect`,
    );
    await t.deps.database.db.execute(
      sql`update l_audit_events set details = '{"forged":true}'::jsonb where workspace_id = ${owner.workspaceId} and seq = 5`,
    );
    await t.deps.database.db.execute(
      sql`alter table l_audit_events enable trigger tr_l_audit_events__protect`,
    );
    const result = await verifyAuditChain(t.deps.database, owner.workspaceId);
    expect(result.ok).toBe(false);
    expect(result.brokenAt?.seq).toBe(5);
    expect(result.checked).toBe(4);
  });
});

/**
 * Tampering beyond a modified row (invariant 8): each case on a fresh workspace's chain, so one
 * broken chain never hides another. The append-only trigger is disabled only inside the
 * tampering transaction (a rollback or the commit re-enables it).
 */
describe("hash chain tampering", () => {
  const EVENTS = 8;

  /** A workspace whose sealed chain verifies, with EVENTS test events at its tip. */
  async function freshChain(label: string) {
    const user = await createUser(t.app, t.deps, `tamper-${label}@example.com`, label);
    for (let i = 0; i < EVENTS; i++) {
      await t.deps.auditWriter.record({
        workspaceId: user.workspaceId,
        occurredAt: new Date(),
        actorType: "system",
        action: "test.tamper",
        outcome: "success",
        details: { i },
      });
    }
    await sealAll();
    const before = await verifyAuditChain(t.deps.database, user.workspaceId);
    expect(before).toMatchObject({ ok: true, firstSeq: 1 });
    expect(before.checked).toBeGreaterThanOrEqual(EVENTS);
    return { user, total: before.checked };
  }

  const tamper = (run: (tx: DbOrTx) => Promise<unknown>) =>
    t.deps.database.db.transaction(async (tx) => {
      await tx.execute(sql`alter table l_audit_events disable trigger tr_l_audit_events__protect`);
      await run(tx);
      await tx.execute(sql`alter table l_audit_events enable trigger tr_l_audit_events__protect`);
    });

  /** verifyAuditChain and GET /v1/audit/verify (as the workspace's owner) both report the break. */
  async function expectBroken(user: SignedInUser, expected: { checked: number; brokenAt: { seq: number } }) {
    const direct = await verifyAuditChain(t.deps.database, user.workspaceId);
    expect(direct).toMatchObject({ ok: false, ...expected });
    const res = await t.app.inject({ method: "GET", url: "/v1/audit/verify", headers: bearer(user.token) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ ok: false, ...expected });
    expect(res.json()).toEqual(direct);
  }

  it("the trigger is back after each tampering", async () => {
    const { user } = await freshChain("trigger");
    await tamper((tx) =>
      tx.execute(
        sql`update l_audit_events set action = 'x' where workspace_id = ${user.workspaceId} and seq = 1`,
      ),
    );
    await expect(
      t.deps.database.db.execute(
        sql`delete from l_audit_events where workspace_id = ${user.workspaceId} and seq = 2`,
      ),
    ).rejects.toThrow();
  });

  it("detects a middle row deleted", async () => {
    const { user } = await freshChain("delete-middle");
    const middle = 3;
    await tamper((tx) =>
      tx.execute(
        sql`delete from l_audit_events where workspace_id = ${user.workspaceId} and seq = ${middle}`,
      ),
    );
    // The gap is found at the row after the deleted one.
    await expectBroken(user, { checked: middle - 1, brokenAt: { seq: middle + 1 } });
  });

  it("detects two rows whose seq were swapped", async () => {
    const { user } = await freshChain("swap");
    await tamper(async (tx) => {
      const w = user.workspaceId;
      await tx.execute(sql`update l_audit_events set seq = -1 where workspace_id = ${w} and seq = 3`);
      await tx.execute(sql`update l_audit_events set seq = 3 where workspace_id = ${w} and seq = 4`);
      await tx.execute(sql`update l_audit_events set seq = 4 where workspace_id = ${w} and seq = -1`);
    });
    await expectBroken(user, { checked: 2, brokenAt: { seq: 3 } });
  });

  it("detects a forged row appended with a correctly chained seq and hash (the head records the tip)", async () => {
    const { user, total } = await freshChain("forge");
    const [last] = await t.deps.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.workspaceId, user.workspaceId), eq(auditEvents.seq, total)));
    if (!last?.hash) throw new Error("no sealed tip");
    const forged = {
      id: newId(),
      workspaceId: user.workspaceId,
      occurredAt: new Date(),
      actorType: "user" as const,
      actorId: user.userId,
      action: "policy.deleted",
      targetType: null,
      targetId: null,
      agentId: null,
      connectionId: null,
      policyId: null,
      policyVersion: null,
      decision: null,
      outcome: "success" as const,
      code: null,
      httpStatus: null,
      latencyMs: null,
      requestId: null,
      details: { forged: true },
    };
    const seq = total + 1;
    // An insert is not stopped by the trigger (it guards updates and deletes): no tampering window needed.
    await t.deps.database.db
      .insert(auditEvents)
      .values({ ...forged, seq, prevHash: last.hash, hash: chainHash(last.hash, seq, forged) });
    // Every row, the forged one included, chains correctly: only the head's tip gives it away,
    // and the break is reported at the first row past the head.
    await expectBroken(user, { checked: total + 1, brokenAt: { seq: total + 1 } });
  });

  it("detects the last row deleted (the head records the tip)", async () => {
    const { user, total } = await freshChain("delete-last");
    const [head] = rowsOf<{ last_seq: string | number }>(
      await t.deps.database.db.execute(
        sql`select last_seq from t_audit_chain_heads where workspace_id = ${user.workspaceId}`,
      ),
    );
    expect(Number(head?.last_seq)).toBe(total);
    await tamper((tx) =>
      tx.execute(sql`delete from l_audit_events where workspace_id = ${user.workspaceId} and seq = ${total}`),
    );
    await expectBroken(user, { checked: total - 1, brokenAt: { seq: total } });
  });

  it("detects every row deleted (an empty chain whose head says otherwise)", async () => {
    const { user } = await freshChain("delete-all");
    await tamper((tx) =>
      tx.execute(sql`delete from l_audit_events where workspace_id = ${user.workspaceId}`),
    );
    await expectBroken(user, { checked: 0, brokenAt: { seq: 1 } });
  });

  it("does not mistake rows written while it runs for a break", async () => {
    const { user } = await freshChain("concurrent");
    const writes = Array.from({ length: 20 }, (_, i) =>
      t.deps.auditWriter.record({
        workspaceId: user.workspaceId,
        occurredAt: new Date(),
        actorType: "system",
        action: "test.concurrent",
        outcome: "success",
        details: { i },
      }),
    );
    const checks = await Promise.all([
      verifyAuditChain(t.deps.database, user.workspaceId),
      verifyAuditChain(t.deps.database, user.workspaceId),
      ...writes,
    ]);
    expect(checks.slice(0, 2)).toMatchObject([{ ok: true }, { ok: true }]);
  });
});

describe("audit query API", () => {
  it("lists newest first with filters and cursors", async () => {
    const page1 = (
      await t.app.inject({
        method: "GET",
        url: "/v1/audit?limit=10&action=test.batched",
        headers: bearer(owner.token),
      })
    ).json();
    expect(page1.items).toHaveLength(10);
    expect(page1.items.every((e: { action: string }) => e.action === "test.batched")).toBe(true);
    const page2 = (
      await t.app.inject({
        method: "GET",
        url: `/v1/audit?limit=10&action=test.batched&cursor=${encodeURIComponent(page1.nextCursor)}`,
        headers: bearer(owner.token),
      })
    ).json();
    expect(page2.items[0].id < page1.items[9].id).toBe(true);
    const one = await t.app.inject({
      method: "GET",
      url: `/v1/audit/${page1.items[0].id}`,
      headers: bearer(owner.token),
    });
    expect(one.json()).toMatchObject({ id: page1.items[0].id, actor: { kind: "system" } });
  });

  it("never shows another workspace's events", async () => {
    const other = await createUser(t.app, t.deps, "audit-other@example.com");
    const list = (
      await t.app.inject({ method: "GET", url: "/v1/audit?limit=200", headers: bearer(other.token) })
    ).json();
    expect(list.items.every((e: { workspaceId: string }) => e.workspaceId === other.workspaceId)).toBe(true);
    const someId = (
      await t.app.inject({ method: "GET", url: "/v1/audit?limit=1", headers: bearer(owner.token) })
    ).json().items[0].id;
    expect(
      (await t.app.inject({ method: "GET", url: `/v1/audit/${someId}`, headers: bearer(other.token) }))
        .statusCode,
    ).toBe(404);
  });
});

describe("audit export", () => {
  it("streams NDJSON and CSV, escapes spreadsheet formulas, and is itself audited", async () => {
    await record("test.formula", { note: '=HYPERLINK("http://evil")' });
    const nd = await t.app.inject({
      method: "GET",
      url: "/v1/audit/export?format=ndjson&action=test.formula",
      headers: bearer(owner.token),
    });
    expect(nd.statusCode).toBe(200);
    expect(nd.headers["content-type"]).toContain("application/x-ndjson");
    expect(nd.headers["content-disposition"]).toMatch(/attachment; filename="agenthifive-audit-.*\.ndjson"/);
    const lines = nd.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    const csv = await t.app.inject({
      method: "GET",
      url: "/v1/audit/export?format=csv",
      headers: bearer(owner.token),
    });
    expect(csv.headers["content-type"]).toContain("text/csv");
    expect(csv.body.split("\n")[0]).toContain("id,seq,occurredAt");
    expect(neutraliseFormula("=1+1")).toBe("'=1+1");
    expect(neutraliseFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutraliseFormula("plain")).toBe("plain");
    await t.deps.auditWriter.flush();
    const exported = await t.app.inject({
      method: "GET",
      url: "/v1/audit?action=audit.exported",
      headers: bearer(owner.token),
    });
    expect(exported.json().items.length).toBeGreaterThanOrEqual(2);
  });

  it("is refused to a viewer and to an agent", async () => {
    const exportAs = (token: string) =>
      t.app.inject({ method: "GET", url: "/v1/audit/export?format=csv", headers: bearer(token) });
    const viewer = await memberWithRole(t, owner, "audit-viewer@example.com", "viewer");
    const byViewer = await exportAs(viewer);
    expect(byViewer.statusCode).toBe(403);
    expect(byViewer.json()).toMatchObject({ code: "SCOPE_MISSING", details: { required: ["audit:export"] } });
    const agent = await enrolledAgent(t.app, owner.token, "Audit agent");
    const byAgent = await exportAs(agent.token);
    expect(byAgent.statusCode).toBe(403);
    expect(byAgent.json()).toMatchObject({ code: "PRINCIPAL_NOT_ALLOWED", hint: expect.any(String) });
    expect(byAgent.headers["content-type"]).toContain("application/json");
  });

  it("streams 100,000 rows with flat memory", async () => {
    await t.deps.database.db.execute(sql`
      insert into l_audit_events (id, workspace_id, occurred_at, actor_type, action, outcome, details)
      select gen_random_uuid(), ${owner.workspaceId}::uuid, now(), 'system', 'test.bulk', 'success', '{"k":"v"}'::jsonb
      from generate_series(1, 100000)`);
    const base = await t.app.listen({ host: "127.0.0.1", port: 0 });
    v8.setFlagsFromString("--expose_gc");
    const gc = runInNewContext("gc") as () => void;
    const retained = () => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    const before = retained();
    let peakRetained = before;
    const res = await fetch(`${base}/v1/audit/export?format=ndjson&action=test.bulk`, {
      headers: bearer(owner.token),
    });
    let lines = 0;
    let nextSample = 10_000;
    const decoder = new TextDecoder();
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      lines += (decoder.decode(chunk, { stream: true }).match(/\n/g) ?? []).length;
      if (lines >= nextSample) {
        peakRetained = Math.max(peakRetained, retained());
        nextSample += 10_000;
      }
    }
    expect(lines).toBe(100_000);
    // The export is ~40 MB of NDJSON; what stays alive while streaming must not grow with it.
    expect(peakRetained - before).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);
});

describe("chain hash", () => {
  it("is the formula existing chains were sealed with (golden vectors)", () => {
    const row = {
      id: "0190b5a4-6c1e-7d2a-9f00-000000000001",
      workspaceId: "0190b5a4-6c1e-7d2a-9f00-0000000000aa",
      occurredAt: new Date("2026-11-29T12:34:56.789Z"),
      actorType: "agent",
      actorId: "0190b5a4-6c1e-7d2a-9f00-0000000000bb",
      action: "vault.denied",
      targetType: null,
      targetId: null,
      agentId: "0190b5a4-6c1e-7d2a-9f00-0000000000bb",
      connectionId: "0190b5a4-6c1e-7d2a-9f00-0000000000cc",
      policyId: null,
      policyVersion: 3,
      decision: "deny",
      outcome: "failure",
      code: "POLICY_DENIED",
      httpStatus: 403,
      latencyMs: 2,
      requestId: "req-1",
      details: {
        target: { method: "DELETE", host: "api.example.com", path: "/v1/items" },
        ruleId: "r1",
        list: [3, "ü", null, { b: 1, a: 2 }],
      },
    };
    const first = chainHash(GENESIS_HASH, 1, row);
    expect(first.toString("hex")).toBe("d0c400b81315dc18a5dde782b799cbe1c8665a30b583b64da162226eb3444deb");
    expect(chainHash(first, 2, { ...row, details: {} }).toString("hex")).toBe(
      "f09665c0dab1295ce619a48532a91013ed6013f7113d8c995e8d5edc8c6dd3aa",
    );
  });
});
