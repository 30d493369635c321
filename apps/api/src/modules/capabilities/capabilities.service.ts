import type { Capabilities } from "@agenthifive/contracts";
import { listActionTemplates } from "@agenthifive/oauth-connectors";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { listAgentConnections } from "../agents/index.js";
import type { ServiceDirectory } from "../connections/index.js";
import type { PolicyService } from "../policies/index.js";
import { grantedActions } from "./granted-actions.js";
import { createPermissionRequestRepo, requestedAction } from "./permission-requests.repo.js";

/** `GET /v1/capabilities` (API.md §3.6) for one agent. */
export function createCapabilityService(deps: {
  database: Database;
  clock: Clock;
  services: ServiceDirectory;
  policies: PolicyService;
  devAllowHosts: readonly string[];
}) {
  const requests = createPermissionRequestRepo();
  const { db } = deps.database;

  /** The grants of one bound (agent, connection), or undefined when no enabled policy binds them. */
  async function grantsOn(
    workspaceId: string,
    agentId: string,
    connection: { id: string; service: string; metadata: Record<string, unknown> },
  ) {
    const bound = await deps.policies.binding(workspaceId, agentId, connection.id);
    if (!bound?.enabled) return undefined;
    return grantedActions(
      bound.compiled,
      connection.service,
      deps.services.originsOf(connection),
      deps.clock.now(),
      deps.devAllowHosts,
    );
  }

  return {
    grantsOn,

    async forAgent(workspaceId: string, agentId: string): Promise<Capabilities> {
      const [bound, pending] = await Promise.all([
        listAgentConnections(db, workspaceId, agentId),
        requests.pendingOf(db, workspaceId, agentId),
      ]);
      const granted = [];
      for (const c of bound.items) {
        const grants = await grantsOn(workspaceId, agentId, { ...c, id: c.connectionId });
        if (!grants) continue;
        granted.push({
          connectionId: c.connectionId,
          service: c.service,
          actionTemplateIds: grants.filter((g) => g.granted).map((g) => g.actionId),
          approvalRequired: grants.filter((g) => g.requiresApproval).map((g) => g.actionId),
        });
      }
      return {
        services: deps.services.list().map(({ provider, service }) => ({
          id: service.id,
          provider: provider.id,
          label: service.label,
          authTypes: [...provider.authTypes],
          models: provider.authTypes.some((a) => a === "oauth" || a === "device") ? ["A", "B"] : ["B"],
          actions: listActionTemplates(service.id).map((a) => ({
            id: a.id,
            label: a.label,
            description: a.description,
            requiresApproval: a.kind !== "read",
          })),
        })),
        granted,
        pendingRequests: pending.map((r) => ({
          id: r.id,
          actionTemplateId: requestedAction(r),
          status: r.status,
          createdAt: r.createdAt.toISOString(),
        })),
      };
    },
  };
}
export type CapabilityService = ReturnType<typeof createCapabilityService>;
