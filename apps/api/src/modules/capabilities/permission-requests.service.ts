import type { PermissionRequest, PolicyTier, Principal } from "@agenthifive/contracts";
import { getActionTemplate } from "@agenthifive/oauth-connectors";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { assertActsForAgent } from "../agents/index.js";
import { auditUserAction, insertAuditEvent } from "../audit/index.js";
import { createConnectionRepo, type ServiceDirectory } from "../connections/index.js";
import type { EventHub } from "../events/index.js";
import type { PolicyService } from "../policies/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { CapabilityService } from "./capabilities.service.js";
import {
  createPermissionRequestRepo,
  type JoinedPermissionRequest,
  type PermissionRequestRow,
  requestedAction,
} from "./permission-requests.repo.js";

type AgentPrincipal = Extract<Principal, { kind: "agent" }>;

const LIFETIME_MS = 7 * 24 * 3600 * 1000;
const PER_HOUR = 10;

function toPermissionRequest({ request: r, agentName }: JoinedPermissionRequest): PermissionRequest {
  return {
    id: r.id,
    agentId: r.agentId,
    agentName,
    actionTemplateId: requestedAction(r),
    connectionId: r.connectionId,
    reason: r.reason,
    status: r.status,
    policyId: r.resultingPolicyId,
    createdAt: r.createdAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
    comment: r.comment,
    expiresAt: r.expiresAt.toISOString(),
  };
}

/**
 * Agent permission requests (API.md §3.12): an agent asks for one catalog action; a person
 * approves it onto a connection, which creates or extends the (agent, connection) policy in the
 * same transaction as the decision, so there is never a half-approved state.
 */
export function createPermissionRequestService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  services: ServiceDirectory;
  policies: PolicyService;
  capabilities: CapabilityService;
  events?: Pick<EventHub, "emit">;
}) {
  const repo = createPermissionRequestRepo();
  const connections = createConnectionRepo();
  const { db } = deps.database;

  const page = async (
    workspaceId: string,
    f: { status?: PermissionRequestRow["status"]; agentId?: string },
    limit: number,
    cursor: string | undefined,
  ) => {
    const filters = { w: workspaceId, ...f };
    const after = deps.cursors.decode("permission-requests", filters, cursor);
    const rows = await repo.list(db, workspaceId, limit, f, after);
    return toPage(
      rows,
      limit,
      (r) => r.request.id,
      toPermissionRequest,
      (k) => deps.cursors.encode("permission-requests", filters, k),
    );
  };

  return {
    async create(
      agent: AgentPrincipal,
      input: { actionTemplateId: string; connectionId?: string; reason: string },
      requestId: string,
    ) {
      const action = getActionTemplate(input.actionTemplateId);
      const ref = action ? deps.services.get(action.serviceId) : undefined;
      if (!action || !ref) {
        throw new AppError("VALIDATION_FAILED", "Unknown action template.", {
          hint: "Pick an action id from GET /v1/capabilities (services[].actions[].id).",
          details: {
            issues: [{ path: "actionTemplateId", message: "unknown action template", code: "invalid" }],
          },
        });
      }
      const now = deps.clock.now();
      if (input.connectionId) {
        const connection = await connections.find(db, agent.workspaceId, input.connectionId);
        if (!connection || connection.service !== action.serviceId) throw notFound("Connection");
        const grants = await deps.capabilities.grantsOn(agent.workspaceId, agent.agentId, connection);
        if (grants?.find((g) => g.actionId === action.id)?.granted) {
          throw conflict(
            "You already hold this action on this connection.",
            "already_granted",
            "Just call it.",
          );
        }
      }
      const recent = await repo.countSince(
        db,
        agent.workspaceId,
        agent.agentId,
        new Date(now.getTime() - 3600_000),
      );
      if (recent >= PER_HOUR) {
        throw new AppError("RATE_LIMITED", "Too many permission requests in the last hour.", {
          hint: "Wait for a person to answer the pending ones.",
          headers: { "retry-after": "3600" },
        });
      }
      const id = newId();
      try {
        await db.transaction(async (tx) => {
          await repo.insert(tx, {
            id,
            workspaceId: agent.workspaceId,
            agentId: agent.agentId,
            connectionId: input.connectionId ?? null,
            provider: ref.provider.id,
            service: ref.service.id,
            requested: { actionTemplateId: action.id },
            reason: input.reason,
            expiresAt: new Date(now.getTime() + LIFETIME_MS),
            createdAt: now,
            updatedAt: now,
          });
          await insertAuditEvent(tx, {
            workspaceId: agent.workspaceId,
            occurredAt: now,
            actorType: "agent",
            actorId: agent.agentId,
            agentId: agent.agentId,
            action: "permission_request.created",
            targetType: "permission_request",
            targetId: id,
            outcome: "success",
            requestId,
            details: { actionTemplateId: action.id },
          });
          await deps.events?.emit(tx, {
            workspaceId: agent.workspaceId,
            type: "permission_request.created",
            resourceId: id,
          });
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict(
            "You already asked for this and nobody has answered yet.",
            "pending_duplicate",
            "Poll GET /v1/permission-requests/mine for the answer.",
          );
        }
        throw e;
      }
      const row = await repo.find(db, agent.workspaceId, id);
      if (!row) throw notFound("Permission request");
      return toPermissionRequest(row);
    },

    mine: (
      agent: AgentPrincipal,
      f: { status?: PermissionRequestRow["status"] },
      limit: number,
      cursor?: string,
    ) => page(agent.workspaceId, { ...f, agentId: agent.agentId }, limit, cursor),

    list: (
      p: UserPrincipal,
      f: { status?: PermissionRequestRow["status"]; agentId?: string },
      limit: number,
      cursor?: string,
    ) => page(p.workspaceId, f, limit, cursor),

    async approve(
      p: UserPrincipal,
      id: string,
      input: { connectionId: string; tier: PolicyTier; comment?: string },
      requestId: string,
    ) {
      const result = await db.transaction(async (tx) => {
        const existing = await repo.find(tx, p.workspaceId, id);
        if (!existing) throw notFound("Permission request");
        if (existing.request.status !== "pending") {
          throw conflict("This request was already answered.", "not_pending");
        }
        const connection = await connections.find(tx, p.workspaceId, input.connectionId);
        if (!connection) throw notFound("Connection");
        if (connection.status === "needs_reauth" || connection.status === "error") {
          throw new AppError("CONNECTION_NEEDS_REAUTH", "The connection needs to be reconnected first.", {
            hint: "Reconnect the account, then approve.",
          });
        }
        const policy = await deps.policies.grantActionInTx(
          tx,
          p,
          {
            agentId: existing.request.agentId,
            connectionId: connection.id,
            actionId: requestedAction(existing.request),
            tier: input.tier,
          },
          requestId,
        );
        const now = deps.clock.now();
        const row = await repo.decide(
          tx,
          p.workspaceId,
          id,
          {
            status: "approved",
            decidedBy: p.userId,
            comment: input.comment ?? null,
            connectionId: connection.id,
            resultingPolicyId: policy.id,
          },
          now,
        );
        if (!row) throw conflict("This request was already answered or has expired.", "not_pending");
        await auditUserAction(tx, p, now, {
          action: "permission_request.approved",
          targetType: "permission_request",
          targetId: id,
          agentId: row.agentId,
          connectionId: connection.id,
          requestId,
          details: { actionTemplateId: requestedAction(row), policyId: policy.id, tier: input.tier },
        });
        return { request: row, agentName: existing.agentName };
      });
      return toPermissionRequest(result);
    },

    async deny(p: UserPrincipal, id: string, note: string | undefined, requestId: string) {
      const result = await db.transaction(async (tx) => {
        const existing = await repo.find(tx, p.workspaceId, id);
        if (!existing) throw notFound("Permission request");
        await assertActsForAgent(
          tx,
          p,
          existing.request.agentId,
          "answer the permission requests",
          "approvals:decide",
        );
        const now = deps.clock.now();
        const row = await repo.decide(
          tx,
          p.workspaceId,
          id,
          { status: "denied", decidedBy: p.userId, comment: note ?? null },
          now,
        );
        if (!row) throw conflict("This request was already answered or has expired.", "not_pending");
        await auditUserAction(tx, p, now, {
          action: "permission_request.denied",
          targetType: "permission_request",
          targetId: id,
          agentId: row.agentId,
          requestId,
        });
        return { request: row, agentName: existing.agentName };
      });
      return toPermissionRequest(result);
    },

    /** The expiry job: answers nobody gave within 7 days; returns how many expired. */
    async expireDue(): Promise<number> {
      return (await repo.expireDue(db, deps.clock.now())).length;
    },
  };
}
export type PermissionRequestService = ReturnType<typeof createPermissionRequestService>;
