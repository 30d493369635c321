import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { rowsOf } from "../../db/client.js";

const DAY_MS = 86_400_000;
/** Rows removed per workspace per run: keeps each transaction short. */
const BATCH = 5000;

/**
 * The retention job (DATA-MODEL.md §3.3): removes audit rows older than each workspace's
 * `auditRetentionDays`, only as a prefix of its sealed chain, and records the last removed row
 * as the chain's anchor, so `GET /v1/audit/verify` still proves everything that remains.
 * Deletion is allowed by the table's trigger only inside this transaction (`ah5.retention`).
 * Returns how many rows it removed.
 */
export async function purgeExpiredAudit(database: Database, now: Date): Promise<number> {
  const { db } = database;
  const workspaces = rowsOf<{ id: string; days: number | null }>(
    await db.execute(
      sql`select w.id, (w.settings->>'auditRetentionDays')::int as days
          from t_workspaces w join t_audit_chain_heads h on h.workspace_id = w.id`,
    ),
  );
  let removed = 0;
  for (const w of workspaces) {
    const cutoff = new Date(now.getTime() - (w.days ?? 365) * DAY_MS).toISOString();
    removed += await db.transaction(async (tx) => {
      // The prefix ends before the first sealed row that is still young (occurred_at and seq
      // order can differ slightly under group commit); unsealed rows are never touched.
      const [last] = rowsOf<{ seq: string; hash: Buffer }>(
        await tx.execute(sql`
          select seq, hash from l_audit_events
          where workspace_id = ${w.id} and seq is not null and occurred_at < ${cutoff}::timestamptz
            and seq < coalesce((select min(seq) from l_audit_events
                                where workspace_id = ${w.id} and seq is not null
                                  and occurred_at >= ${cutoff}::timestamptz), 9223372036854775807)
            and seq <= coalesce((select anchor_seq from t_audit_chain_heads where workspace_id = ${w.id}), 0) + ${BATCH}
          order by seq desc limit 1`),
      );
      if (!last) return 0;
      await tx.execute(sql`select set_config('ah5.retention', 'on', true)`);
      const deleted = rowsOf(
        await tx.execute(
          sql`delete from l_audit_events where workspace_id = ${w.id} and seq is not null and seq <= ${last.seq} returning id`,
        ),
      ).length;
      await tx.execute(
        sql`update t_audit_chain_heads set anchor_seq = ${last.seq}, anchor_hash = ${last.hash}, updated_at = now()
            where workspace_id = ${w.id}`,
      );
      await tx.execute(sql`select set_config('ah5.retention', 'off', true)`);
      return deleted;
    });
  }
  return removed;
}
