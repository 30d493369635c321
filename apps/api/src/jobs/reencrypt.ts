import type { EnvelopeEncryptor } from "@agenthifive/security";
import { sql } from "drizzle-orm";
import type { Database } from "../db/client.js";
import { rowsOf } from "../db/client.js";
import { WORKSPACE_ENVELOPE_COLUMNS } from "../db/envelopes.js";
import { signingKeyAad } from "../modules/keys/index.js";

/** Long-lived envelopes; short-lived ones (pending flows, idempotency replays) simply expire. */
const TARGETS: { table: string; column: string; aad: (id: string, workspaceId: string) => string }[] = [
  // Row-bound AAD of DATA-MODEL.md §1: `<table>:<id>:<workspace id>`.
  ...WORKSPACE_ENVELOPE_COLUMNS.map((e) => ({
    ...e,
    aad: (id: string, w: string) => `${e.table}:${id}:${w}`,
  })),
  // Not workspace-owned: the JWT signing keys every replica shares.
  { table: "t_signing_keys", column: "private_key_envelope", aad: (id) => signingKeyAad(id) },
];

const BATCH = 100;

/**
 * Key rotation without downtime (DATA-MODEL.md §1, README "Rotating keys"): re-encrypts, in small
 * batches, every stored envelope whose key is not the active one. Each row is rewritten only if
 * it is unchanged since it was read (a concurrent refresh writing a new envelope wins), so the
 * job can run beside traffic on every replica; the runner's advisory lock keeps it to one.
 * Returns how many envelopes it re-encrypted; 0 means the rotation is complete.
 */
export async function reencryptBatch(
  database: Database,
  encryptor: EnvelopeEncryptor,
  keys: { activeKid: string; kids(): string[] },
): Promise<number> {
  const { activeKid } = keys;
  // Only envelopes a configured key can open: one under a removed key would fail every batch.
  const readable = keys.kids().filter((kid) => kid !== activeKid);
  if (readable.length === 0) return 0;
  const { db } = database;
  let done = 0;
  for (const target of TARGETS) {
    const table = sql.raw(target.table);
    const column = sql.raw(target.column);
    const rows = rowsOf<{ id: string; workspace_id: string; envelope: unknown }>(
      await db.execute(
        sql`select id, ${sql.raw(target.table === "t_signing_keys" ? "null" : "workspace_id")} as workspace_id,
            ${column} as envelope from ${table}
            where ${column} is not null and ${column}->>'kid' in (${sql.join(
              readable.map((kid) => sql`${kid}`),
              sql`, `,
            )}) limit ${BATCH}`,
      ),
    );
    for (const row of rows) {
      const aad = target.aad(row.id, row.workspace_id);
      const fresh = encryptor.reencrypt(row.envelope as Parameters<EnvelopeEncryptor["reencrypt"]>[0], aad);
      const updated = rowsOf(
        await db.execute(
          sql`update ${table} set ${column} = ${JSON.stringify(fresh)}::jsonb
              where id = ${row.id} and ${column} = ${JSON.stringify(row.envelope)}::jsonb returning id`,
        ),
      );
      done += updated.length;
    }
  }
  return done;
}
