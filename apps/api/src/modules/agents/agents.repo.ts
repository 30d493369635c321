import { and, count, desc, eq, gt, isNull, lt } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { agentAccessTokens, agentBootstrapSecrets, agents, policies } from "../../db/schema/index.js";

export type AgentRow = typeof agents.$inferSelect;

/** Agents and their credentials. Every finder is scoped by workspace, except the hash lookups. */
export function createAgentRepo() {
  return {
    insert: (db: DbOrTx, row: typeof agents.$inferInsert) => db.insert(agents).values(row),
    find: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(agents)
          .where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, id)))
          .limit(1)
      )[0],
    lockForUpdate: async (db: DbOrTx, workspaceId: string, id: string) =>
      (
        await db
          .select()
          .from(agents)
          .where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, id)))
          .for("update")
          .limit(1)
      )[0],
    /** Agent authentication: the agent id comes from a signed assertion, its workspace from the row. */
    findForAuth: async (db: DbOrTx, id: string) =>
      (
        await db
          .select({
            id: agents.id,
            workspaceId: agents.workspaceId,
            status: agents.status,
            publicJwk: agents.publicJwk,
          })
          .from(agents)
          .where(eq(agents.id, id))
          .limit(1)
      )[0],
    list: (db: DbOrTx, workspaceId: string, limit: number, afterId?: string, status?: AgentRow["status"]) =>
      db
        .select()
        .from(agents)
        .where(
          and(
            eq(agents.workspaceId, workspaceId),
            status ? eq(agents.status, status) : undefined,
            afterId ? lt(agents.id, afterId) : undefined,
          ),
        )
        .orderBy(desc(agents.id))
        .limit(limit + 1),
    update: async (
      db: DbOrTx,
      workspaceId: string,
      id: string,
      patch: Partial<typeof agents.$inferInsert>,
      now: Date,
    ) =>
      (
        await db
          .update(agents)
          .set({ ...patch, updatedAt: now })
          .where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, id)))
          .returning()
      )[0],
    delete: (db: DbOrTx, workspaceId: string, id: string) =>
      db.delete(agents).where(and(eq(agents.workspaceId, workspaceId), eq(agents.id, id))),
    touchLastSeen: (db: DbOrTx, id: string, now: Date) =>
      db.update(agents).set({ lastSeenAt: now }).where(eq(agents.id, id)),

    countPolicies: async (db: DbOrTx, workspaceId: string, agentId: string) =>
      (
        await db
          .select({ n: count() })
          .from(policies)
          .where(and(eq(policies.workspaceId, workspaceId), eq(policies.agentId, agentId)))
      )[0]?.n ?? 0,
    countLiveTokens: async (db: DbOrTx, workspaceId: string, agentId: string, now: Date) =>
      (
        await db
          .select({ n: count() })
          .from(agentAccessTokens)
          .where(
            and(
              eq(agentAccessTokens.workspaceId, workspaceId),
              eq(agentAccessTokens.agentId, agentId),
              isNull(agentAccessTokens.revokedAt),
              gt(agentAccessTokens.expiresAt, now),
            ),
          )
      )[0]?.n ?? 0,
    revokeTokens: async (db: DbOrTx, workspaceId: string, agentId: string, now: Date) =>
      (
        await db
          .update(agentAccessTokens)
          .set({ revokedAt: now, updatedAt: now })
          .where(
            and(
              eq(agentAccessTokens.workspaceId, workspaceId),
              eq(agentAccessTokens.agentId, agentId),
              isNull(agentAccessTokens.revokedAt),
              gt(agentAccessTokens.expiresAt, now),
            ),
          )
          .returning({ id: agentAccessTokens.id })
      ).length,
    revokeTokenByHash: async (db: DbOrTx, tokenHash: Buffer, now: Date) =>
      (
        await db
          .update(agentAccessTokens)
          .set({ revokedAt: now, updatedAt: now })
          .where(and(eq(agentAccessTokens.tokenHash, tokenHash), isNull(agentAccessTokens.revokedAt)))
          .returning({ id: agentAccessTokens.id, workspaceId: agentAccessTokens.workspaceId })
      )[0],
    /** The hot-path lookup: one indexed read by hash. */
    findTokenByHash: async (db: DbOrTx, tokenHash: Buffer) =>
      (
        await db
          .select({
            id: agentAccessTokens.id,
            workspaceId: agentAccessTokens.workspaceId,
            agentId: agentAccessTokens.agentId,
            tokenHash: agentAccessTokens.tokenHash,
            scopes: agentAccessTokens.scopes,
            expiresAt: agentAccessTokens.expiresAt,
            revokedAt: agentAccessTokens.revokedAt,
            agentStatus: agents.status,
          })
          .from(agentAccessTokens)
          .innerJoin(
            agents,
            and(
              eq(agents.id, agentAccessTokens.agentId),
              eq(agents.workspaceId, agentAccessTokens.workspaceId),
            ),
          )
          .where(eq(agentAccessTokens.tokenHash, tokenHash))
          .limit(1)
      )[0],

    revokeLiveSecrets: (db: DbOrTx, workspaceId: string, agentId: string, now: Date) =>
      db
        .update(agentBootstrapSecrets)
        .set({ revokedAt: now, updatedAt: now })
        .where(
          and(
            eq(agentBootstrapSecrets.workspaceId, workspaceId),
            eq(agentBootstrapSecrets.agentId, agentId),
            isNull(agentBootstrapSecrets.usedAt),
            isNull(agentBootstrapSecrets.revokedAt),
          ),
        ),
    insertSecret: (db: DbOrTx, row: typeof agentBootstrapSecrets.$inferInsert) =>
      db.insert(agentBootstrapSecrets).values(row),
    /** Single use: one conditional UPDATE; zero rows = unknown, used, revoked or expired. */
    consumeSecret: async (db: DbOrTx, secretHash: Buffer, now: Date) =>
      (
        await db
          .update(agentBootstrapSecrets)
          .set({ usedAt: now, updatedAt: now })
          .where(
            and(
              eq(agentBootstrapSecrets.secretHash, secretHash),
              isNull(agentBootstrapSecrets.usedAt),
              isNull(agentBootstrapSecrets.revokedAt),
              gt(agentBootstrapSecrets.expiresAt, now),
            ),
          )
          .returning({
            agentId: agentBootstrapSecrets.agentId,
            workspaceId: agentBootstrapSecrets.workspaceId,
          })
      )[0],
    findSecretOwner: async (db: DbOrTx, secretHash: Buffer) =>
      (
        await db
          .select({ agentId: agentBootstrapSecrets.agentId, workspaceId: agentBootstrapSecrets.workspaceId })
          .from(agentBootstrapSecrets)
          .where(eq(agentBootstrapSecrets.secretHash, secretHash))
          .limit(1)
      )[0],
  };
}
export type AgentRepo = ReturnType<typeof createAgentRepo>;
