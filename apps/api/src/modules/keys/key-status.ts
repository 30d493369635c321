import { sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { rowsOf } from "../../db/client.js";
import { WORKSPACE_ENVELOPE_COLUMNS } from "../../db/envelopes.js";

export interface EncryptionKeyInfo {
  activeKid: string;
  kids(): string[];
}

/**
 * What an admin needs to see about keys (Settings → Keys): the JWT signing keys (public data, as
 * in the JWKS) and the encryption key ring by id only, with how many of this workspace's stored
 * secrets still wait for re-encryption under the active key. Never a key, never a secret.
 */
export async function keyStatus(database: Database, encryption: EncryptionKeyInfo, workspaceId: string) {
  const { db } = database;
  const signing = rowsOf<{
    kid: string;
    alg: string;
    status: string;
    activated_at: Date;
    not_after: Date | null;
  }>(
    await db.execute(
      sql`select kid, alg, status, activated_at, not_after from t_signing_keys
          where status <> 'retired' order by activated_at desc limit 10`,
    ),
  );
  const pending: Record<string, number> = {};
  for (const e of WORKSPACE_ENVELOPE_COLUMNS) {
    const [row] = rowsOf<{ n: number }>(
      await db.execute(
        sql`select count(*)::int as n from ${sql.raw(e.table)}
            where workspace_id = ${workspaceId} and ${sql.raw(e.column)} is not null
              and ${sql.raw(e.column)}->>'kid' <> ${encryption.activeKid}`,
      ),
    );
    pending[e.name] = Number(row?.n ?? 0);
  }
  return {
    signing: signing.map((k) => ({
      kid: k.kid,
      alg: k.alg,
      status: k.status,
      activatedAt: new Date(k.activated_at).toISOString(),
      notAfter: k.not_after ? new Date(k.not_after).toISOString() : null,
    })),
    encryption: {
      activeKid: encryption.activeKid,
      configuredKids: encryption.kids(),
      pendingReencryption: pending,
    },
  };
}
