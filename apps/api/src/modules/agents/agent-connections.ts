import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { connections, policies } from "../../db/schema/index.js";

/**
 * GET /v1/agent/connections (API.md §3.6): only connections bound to this agent by an enabled
 * policy, never another agent's, never a secret.
 */
export async function listAgentConnections(db: DbOrTx, workspaceId: string, agentId: string) {
  const rows = await db
    .select({
      connectionId: connections.id,
      provider: connections.provider,
      service: connections.service,
      label: connections.label,
      status: connections.status,
      metadata: connections.metadata,
      policyId: policies.id,
      policyVersion: policies.version,
      document: policies.document,
    })
    .from(policies)
    .innerJoin(
      connections,
      and(eq(connections.id, policies.connectionId), eq(connections.workspaceId, policies.workspaceId)),
    )
    .where(
      and(eq(policies.workspaceId, workspaceId), eq(policies.agentId, agentId), eq(policies.enabled, true)),
    )
    .orderBy(connections.label)
    .limit(200);
  return {
    items: rows
      .filter((r) => r.status !== "revoked")
      .map(({ document, ...r }) => ({
        ...r,
        allowedModels: Array.isArray(document.allowedModels)
          ? (document.allowedModels as ("A" | "B")[])
          : ["B" as const],
      })),
    nextCursor: null,
  };
}
