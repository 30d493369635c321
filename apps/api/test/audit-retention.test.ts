import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { workspaces } from "../src/db/schema/index.js";
import { purgeExpiredAudit, sealAuditBatch, verifyAuditChain } from "../src/modules/audit/index.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

/** Retention purges old audit rows as a prefix of the chain; what remains still verifies. */
let t: TestApp;
let owner: SignedInUser;
let other: SignedInUser;
/** A workspace whose trail starts in the past (created directly, so no fresh first row). */
const archive = "01900000-0000-7000-8000-000000000001";
const DAY = 86_400_000;
const NOW = new Date();

beforeAll(async () => {
  t = await buildTestApp();
  owner = await createUser(t.app, t.deps, "retention@example.com", "Ret");
  other = await createUser(t.app, t.deps, "retention-other@example.com", "Oth");
  await t.deps.database.db
    .insert(workspaces)
    .values({ id: archive, name: "Archive", settings: { auditRetentionDays: 30 } });
});
afterAll(async () => {
  await t?.close();
});

const record = (workspaceId: string, daysAgo: number, action: string) =>
  t.deps.auditWriter.record({
    workspaceId,
    occurredAt: new Date(NOW.getTime() - daysAgo * DAY),
    actorType: "system",
    action,
    outcome: "success",
  });
const count = async (workspaceId: string, action: string) =>
  (
    await t.deps.database.db.query.auditEvents.findMany({
      where: (e, { and, eq }) => and(eq(e.workspaceId, workspaceId), eq(e.action, action)),
    })
  ).length;

describe("audit retention", () => {
  it("keeps a workspace's setting, within bounds", async () => {
    const bad = await t.app.inject({
      method: "PATCH",
      url: "/v1/workspaces/current",
      headers: bearer(owner.token),
      payload: { settings: { auditRetentionDays: 5 } },
    });
    expect(bad.statusCode).toBe(400);
    const ok = await t.app.inject({
      method: "PATCH",
      url: "/v1/workspaces/current",
      headers: bearer(owner.token),
      payload: { settings: { auditRetentionDays: 30 } },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().settings.auditRetentionDays).toBe(30);
  });

  it("purges sealed rows past retention, anchors the chain, and verify still passes", async () => {
    for (let i = 0; i < 20; i++) await record(archive, 40, "test.old");
    for (let i = 0; i < 5; i++) await record(archive, 1, "test.young");
    for (let i = 0; i < 5; i++) await record(other.workspaceId, 40, "test.old"); // default 365 days
    while ((await sealAuditBatch(t.deps.database)) > 0);
    await record(archive, 40, "test.unsealed-old"); // not sealed yet: never purged
    await t.deps.auditWriter.flush();

    const removed = await purgeExpiredAudit(t.deps.database, NOW);
    expect(removed).toBeGreaterThanOrEqual(20);
    expect(await count(archive, "test.old")).toBe(0);
    expect(await count(archive, "test.young")).toBe(5);
    expect(await count(archive, "test.unsealed-old")).toBe(1);
    expect(await count(other.workspaceId, "test.old")).toBe(5);

    while ((await sealAuditBatch(t.deps.database)) > 0);
    const verified = await verifyAuditChain(t.deps.database, archive);
    expect(verified).toMatchObject({ ok: true });
    expect(verified.firstSeq).toBeGreaterThan(20);
    expect(await purgeExpiredAudit(t.deps.database, NOW)).toBeLessThanOrEqual(1); // only the late-sealed old row
  });

  it("a deletion outside the retention job is still refused", async () => {
    await expect(
      t.deps.database.db.execute(sql`delete from l_audit_events where workspace_id = ${owner.workspaceId}`),
    ).rejects.toThrow();
  });
});
