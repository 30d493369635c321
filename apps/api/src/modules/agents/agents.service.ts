import type { Agent } from "@agenthifive/contracts";
import { generateToken, hashToken, tokenDisplayPrefix } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { auditUserAction } from "../audit/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { memberMayAct, notOwner } from "../workspaces/index.js";
import { toAgent } from "./agents.mapper.js";
import { type AgentRow, createAgentRepo } from "./agents.repo.js";

export const BOOTSTRAP_TTL_SECONDS = 3600;

export interface AgentServiceDeps {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  invalidation: InvalidationBus;
  apiPublicUrl: string;
}

/** Agent management for people (API.md §3.4). Members may only change agents they created. */
export function createAgentService(deps: AgentServiceDeps) {
  const repo = createAgentRepo();
  const { db } = deps.database;

  const audit = (
    tx: DbOrTx,
    p: UserPrincipal,
    action: string,
    agentId: string,
    requestId: string,
    details = {},
  ) =>
    auditUserAction(tx, p, deps.clock.now(), {
      action,
      targetType: "agent",
      targetId: agentId,
      agentId,
      requestId,
      details: { credentialId: p.credentialId, ...details },
    });

  /** Loads the agent for a change, enforcing the member "own agents" rule. */
  async function forChange(tx: DbOrTx, p: UserPrincipal, id: string): Promise<AgentRow> {
    const row = await repo.lockForUpdate(tx, p.workspaceId, id);
    if (!row) throw notFound("Agent");
    if (!memberMayAct(p.roles[0], p.userId, row.createdBy)) {
      throw notOwner("Members can only change agents they created.", "agents:write");
    }
    return row;
  }

  const tell = (tx: DbOrTx, p: UserPrincipal, agentId: string) =>
    deps.invalidation.publish(tx, { k: "agent", id: agentId, w: p.workspaceId });

  return {
    async list(p: UserPrincipal, limit: number, cursor?: string, status?: AgentRow["status"]) {
      const filters = { w: p.workspaceId, s: status ?? null };
      const after = deps.cursors.decode("agents", filters, cursor);
      const rows = await repo.list(db, p.workspaceId, limit, after, status);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toAgent,
        (k) => deps.cursors.encode("agents", filters, k),
      );
    },

    async get(p: UserPrincipal, id: string) {
      const row = await repo.find(db, p.workspaceId, id);
      if (!row) throw notFound("Agent");
      const [activeTokenCount, policyCount] = await Promise.all([
        repo.countLiveTokens(db, p.workspaceId, id, deps.clock.now()),
        repo.countPolicies(db, p.workspaceId, id),
      ]);
      return { ...toAgent(row), activeTokenCount, policyCount };
    },

    async create(
      p: UserPrincipal,
      input: { name: string; description?: string; iconUrl?: string },
      requestId: string,
    ): Promise<Agent> {
      const id = newId();
      const now = deps.clock.now();
      try {
        return await db.transaction(async (tx) => {
          await repo.insert(tx, {
            id,
            workspaceId: p.workspaceId,
            name: input.name,
            description: input.description ?? "",
            iconUrl: input.iconUrl ?? null,
            createdBy: p.userId,
            createdAt: now,
            updatedAt: now,
          });
          await audit(tx, p, "agent.created", id, requestId, { name: input.name });
          const row = await repo.find(tx, p.workspaceId, id);
          return toAgent(row as AgentRow);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict("An agent with that name already exists.", "name_taken", "Pick another name.");
        throw e;
      }
    },

    async update(
      p: UserPrincipal,
      id: string,
      patch: { name?: string; description?: string; iconUrl?: string | null },
      requestId: string,
    ) {
      try {
        return await db.transaction(async (tx) => {
          await forChange(tx, p, id);
          const row = await repo.update(tx, p.workspaceId, id, patch, deps.clock.now());
          await audit(tx, p, "agent.updated", id, requestId, { fields: Object.keys(patch) });
          return toAgent(row as AgentRow);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict("An agent with that name already exists.", "name_taken", "Pick another name.");
        throw e;
      }
    },

    /** Disabling kills every token at once, on every replica (NOTIFY in the same transaction). */
    async disable(p: UserPrincipal, id: string, requestId: string) {
      return db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        if (row.status === "disabled") throw conflict("The agent is already disabled.", "already_disabled");
        const now = deps.clock.now();
        const updated = await repo.update(
          tx,
          p.workspaceId,
          id,
          { status: "disabled", disabledAt: now },
          now,
        );
        const revoked = await repo.revokeTokens(tx, p.workspaceId, id, now);
        await repo.revokeLiveSecrets(tx, p.workspaceId, id, now);
        await audit(tx, p, "agent.disabled", id, requestId, { tokensRevoked: revoked });
        await tell(tx, p, id);
        return toAgent(updated as AgentRow);
      });
    },

    async enable(p: UserPrincipal, id: string, requestId: string) {
      return db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        if (row.status !== "disabled") throw conflict("The agent is not disabled.", "not_disabled");
        const now = deps.clock.now();
        const status = row.publicJwk ? "active" : "created";
        const updated = await repo.update(tx, p.workspaceId, id, { status, disabledAt: null }, now);
        await audit(tx, p, "agent.enabled", id, requestId);
        await tell(tx, p, id);
        return toAgent(updated as AgentRow);
      });
    },

    async remove(p: UserPrincipal, id: string, requestId: string) {
      await db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        await audit(tx, p, "agent.deleted", id, requestId, { name: row.name });
        await repo.delete(tx, p.workspaceId, id);
        await tell(tx, p, id);
      });
    },

    async revokeTokens(p: UserPrincipal, id: string, requestId: string) {
      return db.transaction(async (tx) => {
        await forChange(tx, p, id);
        const revoked = await repo.revokeTokens(tx, p.workspaceId, id, deps.clock.now());
        await audit(tx, p, "agent.tokens_revoked", id, requestId, { revoked });
        await tell(tx, p, id);
        return { revoked };
      });
    },

    /** Shown once; issuing a new secret invalidates earlier unused ones. */
    async issueBootstrapSecret(p: UserPrincipal, id: string, requestId: string) {
      const secret = generateToken("ah5b");
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + BOOTSTRAP_TTL_SECONDS * 1000);
      await db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        if (row.status === "disabled") {
          throw new AppError("AGENT_DISABLED", "The agent is disabled.", {
            status: 409,
            hint: "Enable the agent before issuing a bootstrap secret.",
          });
        }
        await repo.revokeLiveSecrets(tx, p.workspaceId, id, now);
        await repo.insertSecret(tx, {
          id: newId(),
          workspaceId: p.workspaceId,
          agentId: id,
          secretHash: hashToken(secret),
          prefix: tokenDisplayPrefix(secret),
          expiresAt,
          createdBy: p.userId,
          createdAt: now,
          updatedAt: now,
        });
        await audit(tx, p, "agent.bootstrap_secret_issued", id, requestId, { via: p.credential });
      });
      return {
        bootstrapSecret: secret,
        expiresAt: expiresAt.toISOString(),
        bootstrapUrl: `${deps.apiPublicUrl}/v1/agents/bootstrap`,
      };
    },
  };
}
export type AgentService = ReturnType<typeof createAgentService>;
