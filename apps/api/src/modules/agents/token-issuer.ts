import type { Database } from "../../db/client.js";
import { createGroupCommit } from "../../lib/group-commit.js";

export interface TokenIssue {
  /** The assertion's `jti`: single use across every replica (its primary key). */
  jti: string;
  jtiExpiresAt: Date;
  id: string;
  workspaceId: string;
  agentId: string;
  tokenHash: Buffer;
  prefix: string;
  scopes: string[];
  expiresAt: Date;
  now: Date;
}

/**
 * One statement per batch: record every `jti` (a conflict means a replay), insert a token for
 * each `jti` that was new, and revoke each agent's oldest live tokens beyond `maxLive` counting
 * the new ones. Returns the `jti`s that were new. All of it commits together or not at all.
 */
const ISSUE_BATCH = `
  with input as (
    select * from jsonb_to_recordset($1::jsonb) as r(
      jti text, jti_expires_at timestamptz, id uuid, workspace_id uuid, agent_id uuid,
      token_hash text, prefix text, scopes text, expires_at timestamptz)
  ), fresh_jti as (
    insert into l_jti_replay_cache (jti, agent_id, expires_at)
    select jti, agent_id, jti_expires_at from input
    on conflict (jti) do nothing
    returning jti
  ), issued as (
    insert into t_agent_access_tokens (id, workspace_id, agent_id, token_hash, prefix, scopes, expires_at)
    select i.id, i.workspace_id, i.agent_id, decode(i.token_hash, 'hex'), i.prefix,
      string_to_array(i.scopes, ' '), i.expires_at
    from input i join fresh_jti f on f.jti = i.jti
    returning workspace_id, agent_id
  ), per_agent as (
    select workspace_id, agent_id, count(*)::int as n from issued group by workspace_id, agent_id
  ), evicted as (
    update t_agent_access_tokens set revoked_at = $2::timestamptz, updated_at = $2::timestamptz
    where id in (
      select old.id from per_agent a cross join lateral (
        select t.id from t_agent_access_tokens t
        where t.workspace_id = a.workspace_id and t.agent_id = a.agent_id
          and t.revoked_at is null and t.expires_at > $2::timestamptz
        order by t.id desc offset greatest($3::int - a.n, 0)
        for update skip locked
      ) old
    )
    returning id
  )
  select jti from fresh_jti`;

/**
 * Agent token issuance with group commit (the `POST /v1/agents/token` hot path): concurrent
 * exchanges share one transaction and one commit instead of paying one each, and each caller
 * still answers only after its own token and `jti` are durable. A batch never holds the same
 * `jti` twice (the second is a replay at once) nor more than `maxLive` tokens of one agent (the
 * extra ones wait for the next batch), so the eviction rule stays exact. Eviction is a resource
 * limit, not a revocation by a person, so no NOTIFY: other replicas drop an evicted token within
 * their 5 s cache TTL (explicit revocation and disabling do NOTIFY).
 */
export function createTokenIssuer(deps: { database: Database; maxLive: number; maxBatch?: number }) {
  async function insert(items: TokenIssue[]): Promise<Set<string>> {
    const now = new Date(Math.max(...items.map((i) => i.now.getTime())));
    const rows = await deps.database.prepared<{ jti: string }>(ISSUE_BATCH, [
      JSON.stringify(
        items.map((i) => ({
          jti: i.jti,
          jti_expires_at: i.jtiExpiresAt,
          id: i.id,
          workspace_id: i.workspaceId,
          agent_id: i.agentId,
          token_hash: i.tokenHash.toString("hex"),
          prefix: i.prefix,
          scopes: i.scopes.join(" "),
          expires_at: i.expiresAt,
        })),
      ),
      now.toISOString(),
      deps.maxLive,
    ]);
    return new Set(rows.map((r) => r.jti));
  }

  const batches = createGroupCommit<TokenIssue, boolean | Promise<boolean>>({
    maxBatch: deps.maxBatch ?? 200,
    async write(items) {
      const results: (boolean | Promise<boolean>)[] = [];
      const send: TokenIssue[] = [];
      const jtis = new Set<string>();
      const perAgent = new Map<string, number>();
      for (const item of items) {
        const held = perAgent.get(item.agentId) ?? 0;
        if (jtis.has(item.jti)) results.push(false);
        // Over the agent's limit in this batch: it rides the next one (a promise resolved with a
        // promise takes on that promise's outcome).
        else if (held >= deps.maxLive) results.push(batches.submit(item) as Promise<boolean>);
        else {
          jtis.add(item.jti);
          perAgent.set(item.agentId, held + 1);
          send.push(item);
          results.push(true);
        }
      }
      const fresh = send.length > 0 ? await insert(send) : new Set<string>();
      return results.map((r, i) => (r === true ? fresh.has((items[i] as TokenIssue).jti) : r));
    },
  });

  return {
    /** True once the token is stored; false when the `jti` was already used (a replay). */
    async issue(request: TokenIssue): Promise<boolean> {
      return await batches.submit(request);
    },
  };
}
export type TokenIssuer = ReturnType<typeof createTokenIssuer>;
