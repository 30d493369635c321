import type { Policy, PolicyDocument } from "@agenthifive/contracts";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { createAgentRepo } from "../agents/index.js";
import { insertAuditEvent } from "../audit/index.js";
import { createConnectionRepo } from "../connections/connections.repo.js";
import type { ServiceDirectory } from "../connections/index.js";
import type { EventHub } from "../events/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { memberMayAct, notOwner } from "../workspaces/index.js";
import { type CompiledPolicy, compilePolicy, PolicyValidationError } from "./engine/index.js";
import { createPolicyRepo, type PolicyRow } from "./policies.repo.js";
import { buildPresetDocument, getActionTemplate, mergeAction, type PolicyTier } from "./templates.js";

const CACHE_TTL_MS = 60_000;

/** Compiles or answers 400 with the engine's issues (rule errors, bad regexes, zones…). */
export function compileOrReject(document: unknown): CompiledPolicy {
  try {
    return compilePolicy(document);
  } catch (e) {
    if (e instanceof PolicyValidationError) {
      throw new AppError("VALIDATION_FAILED", "The policy document is not valid.", {
        details: { issues: e.issues },
      });
    }
    throw e;
  }
}

export interface BoundPolicy {
  id: string;
  version: number;
  enabled: boolean;
  compiled: CompiledPolicy;
}

function toPolicy(row: PolicyRow): Policy {
  return {
    id: row.id,
    agentId: row.agentId,
    connectionId: row.connectionId,
    enabled: row.enabled,
    version: row.version,
    document: row.document,
    templateId: row.templateId,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Policies (API.md §3.8): CRUD with versions and optimistic concurrency, and the compiled-policy
 * cache of the hot path, dropped on every replica by NOTIFY before a change is acknowledged.
 */
export function createPolicyService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  invalidation: InvalidationBus;
  events?: Pick<EventHub, "emit">;
  services: ServiceDirectory;
}) {
  const repo = createPolicyRepo();
  const agents = createAgentRepo();
  const connections = createConnectionRepo();
  const { db } = deps.database;
  const cache = new Map<string, { value: BoundPolicy | null; at: number }>();
  deps.invalidation.subscribe((m) => {
    if (m === "all" || m.k === "policy" || m.k === "connection" || m.k === "agent") cache.clear();
  });

  async function assertCanWrite(tx: DbOrTx, p: UserPrincipal, agentId: string, connectionId: string) {
    const agent = await agents.find(tx, p.workspaceId, agentId);
    const connection = await connections.find(tx, p.workspaceId, connectionId);
    if (!agent) throw notFound("Agent");
    if (!connection) throw notFound("Connection");
    if (connection.status === "revoked") {
      throw new AppError("CONNECTION_REVOKED", "The connection is revoked.", {
        hint: "Connect the account again.",
      });
    }
    // Members may only bind their own agents to their own connections (API.md §2.4).
    if (
      !memberMayAct(p.roles[0], p.userId, agent.createdBy) ||
      !memberMayAct(p.roles[0], p.userId, connection.createdBy)
    ) {
      throw notOwner(
        "Members can only write policies for their own agents and connections.",
        "policies:write",
      );
    }
  }

  const record = (
    tx: DbOrTx,
    p: UserPrincipal,
    row: PolicyRow,
    change: "created" | "updated" | "deleted",
    requestId: string,
  ) =>
    Promise.all([
      repo.insertVersion(tx, {
        policyId: row.id,
        version: row.version,
        workspaceId: row.workspaceId,
        agentId: row.agentId,
        connectionId: row.connectionId,
        document: row.document,
        change,
        changedByType: "user",
        changedBy: p.userId,
      }),
      insertAuditEvent(tx, {
        workspaceId: p.workspaceId,
        occurredAt: deps.clock.now(),
        actorType: "user",
        actorId: p.userId,
        action: `policy.${change}`,
        targetType: "policy",
        targetId: row.id,
        agentId: row.agentId,
        connectionId: row.connectionId,
        policyId: row.id,
        policyVersion: row.version,
        outcome: "success",
        requestId,
      }),
      deps.invalidation.publish(tx, { k: "policy", id: row.id, w: row.workspaceId }),
      deps.events?.emit(tx, { workspaceId: row.workspaceId, type: "policy.updated", resourceId: row.id }),
    ]);

  return {
    async list(
      p: UserPrincipal,
      f: { agentId?: string; connectionId?: string },
      limit: number,
      cursor?: string,
    ) {
      const filters = { w: p.workspaceId, ...f };
      const after = deps.cursors.decode("policies", filters, cursor);
      const rows = await repo.list(db, p.workspaceId, limit, f, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toPolicy,
        (k) => deps.cursors.encode("policies", filters, k),
      );
    },

    async get(p: UserPrincipal, id: string) {
      const row = await repo.find(db, p.workspaceId, id);
      if (!row) throw notFound("Policy");
      return toPolicy(row);
    },

    async create(
      p: UserPrincipal,
      input: {
        agentId: string;
        connectionId: string;
        document: PolicyDocument;
        enabled?: boolean;
        templateId?: string;
      },
      requestId: string,
    ) {
      compileOrReject(input.document);
      try {
        return await db.transaction(async (tx) => {
          await assertCanWrite(tx, p, input.agentId, input.connectionId);
          const now = deps.clock.now();
          const row: PolicyRow = {
            id: newId(),
            workspaceId: p.workspaceId,
            agentId: input.agentId,
            connectionId: input.connectionId,
            version: 1,
            document: input.document as Record<string, unknown>,
            documentSchema: 1,
            templateId: input.templateId ?? null,
            enabled: input.enabled ?? true,
            createdBy: p.userId,
            updatedBy: p.userId,
            createdAt: now,
            updatedAt: now,
          };
          await repo.insert(tx, row);
          await record(tx, p, row, "created", requestId);
          return toPolicy(row);
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict(
            "A policy already binds this agent to this connection.",
            "policy_exists",
            "Edit the existing policy.",
          );
        }
        throw e;
      }
    },

    /** `POST /v1/policies` with `{templateId, tier}`: the preset of the connection's service. */
    async createFromTemplate(
      p: UserPrincipal,
      input: {
        agentId: string;
        connectionId: string;
        templateId: string;
        tier: PolicyTier;
        enabled?: boolean;
      },
      requestId: string,
    ) {
      const connection = await connections.find(db, p.workspaceId, input.connectionId);
      if (!connection) throw notFound("Connection");
      const ref = deps.services.get(connection.service);
      if (!ref || input.templateId !== connection.service) {
        throw new AppError("VALIDATION_FAILED", "This template does not fit the connection's service.", {
          hint: `Use templateId "${connection.service}" (GET /v1/policy-templates?service=${connection.service}).`,
          details: {
            issues: [{ path: "templateId", message: "must be the connection's service", code: "invalid" }],
          },
        });
      }
      const document = buildPresetDocument(ref, input.tier, deps.services.originsOf(connection));
      return this.create(
        p,
        { ...input, document, templateId: `${input.templateId}:${input.tier}` },
        requestId,
      );
    },

    /**
     * Grants one catalog action to (agent, connection) inside the caller's transaction: merged
     * into the existing policy with a version bump, or a new policy from the tier's preset plus
     * the action. Used by approved permission requests, so there is never a half-approved state.
     */
    async grantActionInTx(
      tx: DbOrTx,
      p: UserPrincipal,
      input: { agentId: string; connectionId: string; actionId: string; tier: PolicyTier },
      requestId: string,
    ): Promise<Policy> {
      await assertCanWrite(tx, p, input.agentId, input.connectionId);
      const connection = await connections.find(tx, p.workspaceId, input.connectionId);
      const action = getActionTemplate(input.actionId);
      const ref = connection ? deps.services.get(connection.service) : undefined;
      if (!connection || !action || !ref || action.serviceId !== connection.service) {
        throw new AppError(
          "VALIDATION_FAILED",
          "The requested action does not belong to this connection's service.",
          {
            hint: "Pick a connection of the service the agent asked for.",
          },
        );
      }
      const origins = deps.services.originsOf(connection);
      const existing = await repo.findBinding(tx, p.workspaceId, input.agentId, input.connectionId);
      const now = deps.clock.now();
      if (existing) {
        const document = mergeAction(
          compileOrReject(existing.document).document,
          action,
          origins,
          input.tier,
        );
        compileOrReject(document);
        const row = await repo.replace(
          tx,
          p.workspaceId,
          existing.id,
          existing.version,
          { document: document as Record<string, unknown>, enabled: true, updatedBy: p.userId },
          now,
        );
        if (!row) throw new AppError("VERSION_MISMATCH", "The policy changed while granting; try again.");
        await record(tx, p, row, "updated", requestId);
        return toPolicy(row);
      }
      const document = buildPresetDocument(ref, input.tier, origins, [action]);
      compileOrReject(document);
      const row: PolicyRow = {
        id: newId(),
        workspaceId: p.workspaceId,
        agentId: input.agentId,
        connectionId: input.connectionId,
        version: 1,
        document: document as Record<string, unknown>,
        documentSchema: 1,
        templateId: `${connection.service}:${input.tier}`,
        enabled: true,
        createdBy: p.userId,
        updatedBy: p.userId,
        createdAt: now,
        updatedAt: now,
      };
      await repo.insert(tx, row);
      await record(tx, p, row, "created", requestId);
      return toPolicy(row);
    },

    async replace(
      p: UserPrincipal,
      id: string,
      input: { document: PolicyDocument; enabled?: boolean; version?: number },
      ifMatch: string | undefined,
      requestId: string,
    ) {
      const expected = ifMatch ? Number(/^"?v(\d+)"?$/.exec(ifMatch)?.[1]) : input.version;
      if (!expected || Number.isNaN(expected)) {
        throw new AppError("VALIDATION_FAILED", 'Send If-Match: "v<version>" or version in the body.', {
          details: { issues: [{ path: "version", message: "required (or If-Match)", code: "required" }] },
        });
      }
      compileOrReject(input.document);
      return db.transaction(async (tx) => {
        const current = await repo.find(tx, p.workspaceId, id);
        if (!current) throw notFound("Policy");
        await assertCanWrite(tx, p, current.agentId, current.connectionId);
        const row = await repo.replace(
          tx,
          p.workspaceId,
          id,
          expected,
          {
            document: input.document as Record<string, unknown>,
            enabled: input.enabled ?? current.enabled,
            updatedBy: p.userId,
          },
          deps.clock.now(),
        );
        if (!row) {
          throw new AppError("VERSION_MISMATCH", "The policy changed since you read it.", {
            details: { currentVersion: current.version },
          });
        }
        await record(tx, p, row, "updated", requestId);
        return toPolicy(row);
      });
    },

    async remove(p: UserPrincipal, id: string, ifMatch: string | undefined, requestId: string) {
      await db.transaction(async (tx) => {
        const current = await repo.find(tx, p.workspaceId, id);
        if (!current) throw notFound("Policy");
        if (ifMatch && ifMatch.replace(/"/g, "") !== `v${current.version}`) {
          throw new AppError("VERSION_MISMATCH", "The policy changed since you read it.", {
            details: { currentVersion: current.version },
          });
        }
        await assertCanWrite(tx, p, current.agentId, current.connectionId);
        await record(tx, p, { ...current, version: current.version + 1 }, "deleted", requestId);
        await repo.delete(tx, p.workspaceId, id);
      });
    },

    async versions(p: UserPrincipal, id: string, limit: number, cursor?: string) {
      if (!(await repo.find(db, p.workspaceId, id))) throw notFound("Policy");
      const filters = { w: p.workspaceId, id };
      const after = deps.cursors.decode("policy-versions", filters, cursor);
      const rows = await repo.versions(db, p.workspaceId, id, limit, after ? Number(after) : undefined);
      return toPage(
        rows,
        limit,
        (r) => String(r.version),
        (r) => ({
          version: r.version,
          document: r.document,
          change: r.change,
          changedBy: r.changedBy,
          changedAt: r.createdAt.toISOString(),
        }),
        (k) => deps.cursors.encode("policy-versions", filters, k),
      );
    },

    /** The hot path: compiled once, cached per replica, dropped on NOTIFY. */
    async binding(workspaceId: string, agentId: string, connectionId: string): Promise<BoundPolicy | null> {
      const key = `${workspaceId}:${agentId}:${connectionId}`;
      const hit = cache.get(key);
      if (hit && Date.now() - hit.at < CACHE_TTL_MS) return hit.value;
      const row = await repo.findBinding(db, workspaceId, agentId, connectionId);
      const value = row
        ? { id: row.id, version: row.version, enabled: row.enabled, compiled: compilePolicy(row.document) }
        : null;
      cache.set(key, { value, at: Date.now() });
      return value;
    },

    compile: compileOrReject,
  };
}
export type PolicyService = ReturnType<typeof createPolicyService>;
