import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { rowsOf } from "../db/client.js";

/**
 * Deletes what has outlived its purpose, in bounded batches (DATA-MODEL.md §3.3): spent assertion
 * jtis, expired or revoked tokens after a week, used or expired bootstrap secrets after a day,
 * expired sessions and verifications.
 */
export async function cleanupOnce(database: Database, now: Date): Promise<number> {
  const at = now.toISOString();
  const statements = [
    sql`delete from l_jti_replay_cache where jti in (select jti from l_jti_replay_cache where expires_at < ${at}::timestamptz limit 1000)`,
    sql`delete from t_agent_access_tokens where id in (select id from t_agent_access_tokens where coalesce(revoked_at, expires_at) < ${at}::timestamptz - interval '7 days' limit 1000)`,
    sql`delete from t_personal_access_tokens where id in (select id from t_personal_access_tokens where coalesce(revoked_at, expires_at) < ${at}::timestamptz - interval '7 days' limit 1000)`,
    sql`delete from t_agent_bootstrap_secrets where id in (select id from t_agent_bootstrap_secrets where coalesce(used_at, revoked_at, expires_at) < ${at}::timestamptz - interval '1 day' limit 1000)`,
    sql`delete from t_sessions where id in (select id from t_sessions where expires_at < ${at}::timestamptz limit 1000)`,
    sql`delete from t_verifications where id in (select id from t_verifications where expires_at < ${at}::timestamptz limit 1000)`,
    sql`delete from t_idempotency_keys where id in (select id from t_idempotency_keys where expires_at < ${at}::timestamptz limit 1000)`,
  ];
  let deleted = 0;
  for (const statement of statements) {
    const result = await database.db.execute(statement);
    deleted += Array.isArray(result)
      ? ((result as { count?: number }).count ?? 0)
      : ((result as { affectedRows?: number }).affectedRows ?? rowsOf(result).length);
  }
  return deleted;
}
