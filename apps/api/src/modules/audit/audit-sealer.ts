import { and, asc, eq, gt, isNotNull, isNull, sql } from "drizzle-orm";
import type { Database, DbOrTx } from "../../db/client.js";
import { rowsOf } from "../../db/client.js";
import { auditChainHeads, auditEvents } from "../../db/schema/index.js";
import { chainHash, GENESIS_HASH } from "./audit-chain.js";

const BATCH = 1000;
/** Rows hashed between two yields to the event loop. */
const HASH_SLICE = 50;

/** Lets requests waiting on this process run: sealing is background work, the hot path is not. */
const yieldToRequests = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The sealer (DATA-MODEL.md §3.4), run by one replica at a time: per workspace with unsealed rows,
 * lock the chain head, give the next rows (in ingest order) consecutive sequence numbers and
 * chain their hashes, and move the head, in one transaction. Returns rows sealed.
 */
export async function sealAuditBatch(database: Database, workspaceLimit = 50): Promise<number> {
  const { db } = database;
  const pending = rowsOf<{ workspace_id: string }>(
    await db.execute(
      sql`select distinct workspace_id from ${auditEvents} where ${auditEvents.seq} is null limit ${workspaceLimit}`,
    ),
  );
  let sealed = 0;
  for (const { workspace_id: workspaceId } of pending) {
    sealed += await db.transaction(async (tx) => {
      await tx.insert(auditChainHeads).values({ workspaceId }).onConflictDoNothing();
      const [head] = await tx
        .select()
        .from(auditChainHeads)
        .where(eq(auditChainHeads.workspaceId, workspaceId))
        .for("update");
      if (!head) return 0;
      const rows = await tx
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.workspaceId, workspaceId), isNull(auditEvents.seq)))
        .orderBy(asc(auditEvents.ingestNo))
        .limit(BATCH);
      if (rows.length === 0) return 0;
      let prev = head.lastHash;
      let seq = head.lastSeq;
      // Hashing a thousand rows in one go held the event loop for tens of milliseconds each
      // second under load, which showed as the vault's p99; slices keep requests flowing.
      const seals: { id: string; seq: number; prev: string; h: string }[] = [];
      for (const [i, row] of rows.entries()) {
        if (i > 0 && i % HASH_SLICE === 0) await yieldToRequests();
        seq += 1;
        const hash = chainHash(prev, seq, row);
        seals.push({ id: row.id, seq, prev: prev.toString("hex"), h: hash.toString("hex") });
        prev = hash;
      }
      await tx.execute(sql`
        update ${auditEvents} as e
        set seq = v.seq, prev_hash = decode(v.prev, 'hex'), hash = decode(v.h, 'hex')
        from jsonb_to_recordset(${JSON.stringify(seals)}::jsonb) as v(id uuid, seq bigint, prev text, h text)
        where e.id = v.id and e.workspace_id = ${workspaceId} and e.seq is null`);
      await tx
        .update(auditChainHeads)
        .set({ lastSeq: seq, lastHash: prev, sealedAt: new Date(), updatedAt: new Date() })
        .where(eq(auditChainHeads.workspaceId, workspaceId));
      return rows.length;
    });
  }
  return sealed;
}

/**
 * The sealer job's tick: batches until nothing is left or `budgetMs` is spent. One batch per tick
 * (1,000 rows a second per workspace) fell behind a sustained vault load, and the unsealed
 * backlog grew for as long as the load lasted.
 */
export async function sealAuditBacklog(database: Database, budgetMs = 750): Promise<number> {
  const started = performance.now();
  let total = 0;
  for (;;) {
    const sealed = await sealAuditBatch(database);
    total += sealed;
    if (sealed === 0 || performance.now() - started >= budgetMs) return total;
  }
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  firstSeq: number | null;
  lastSeq: number | null;
  brokenAt?: { seq: number; id: string };
}

/**
 * Recomputes the chain from the anchor (or genesis): every sealed row's hash must follow from the
 * previous one and its own content, and sequence numbers must have no gaps. Reads in pages.
 */
export async function verifyAuditChain(database: Database, workspaceId: string): Promise<ChainVerification> {
  // One snapshot for the head and the rows: a writer commits both together, so in a snapshot the
  // chain must end exactly at the head, and rows appended meanwhile cannot look like a break.
  return database.db.transaction((tx) => verifyInSnapshot(tx, workspaceId), {
    isolationLevel: "repeatable read",
    accessMode: "read only",
  });
}

async function verifyInSnapshot(db: DbOrTx, workspaceId: string): Promise<ChainVerification> {
  const [head] = await db.select().from(auditChainHeads).where(eq(auditChainHeads.workspaceId, workspaceId));
  let expectedSeq = (head?.anchorSeq ?? 0) + 1;
  let prev = head?.anchorHash ?? GENESIS_HASH;
  let checked = 0;
  let firstSeq: number | null = null;
  let lastSeq: number | null = null;
  for (;;) {
    const page = await db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.workspaceId, workspaceId),
          isNotNull(auditEvents.seq),
          gt(auditEvents.seq, expectedSeq - 1),
        ),
      )
      .orderBy(asc(auditEvents.seq))
      .limit(BATCH);
    if (page.length === 0) break;
    for (const row of page) {
      const seq = row.seq as number;
      const broken =
        seq !== expectedSeq || !row.prevHash?.equals(prev) || !row.hash?.equals(chainHash(prev, seq, row));
      if (broken) return { ok: false, checked, firstSeq, lastSeq, brokenAt: { seq, id: row.id } };
      firstSeq ??= seq;
      lastSeq = seq;
      checked += 1;
      prev = row.hash as Buffer;
      expectedSeq += 1;
    }
  }
  // The chain must end where the head says: rows missing at the end (even all of them) or rows
  // past the head (written without it) are a break.
  const tip = expectedSeq - 1;
  if (head && (tip !== head.lastSeq || (tip > (head.anchorSeq ?? 0) && !prev.equals(head.lastHash)))) {
    return {
      ok: false,
      checked,
      firstSeq,
      lastSeq,
      brokenAt: { seq: Math.min(tip, head.lastSeq) + 1, id: "" },
    };
  }
  return { ok: true, checked, firstSeq, lastSeq };
}
