import type { Scope } from "@agenthifive/contracts";
import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { agents } from "../../db/schema/index.js";
import { memberMayAct, notOwner, type UserPrincipal } from "../workspaces/index.js";

/**
 * API.md §2.4: a member acts only for agents they created — deciding an agent's approvals and
 * permission requests included. Admins and owners act for every agent of the workspace.
 */
export async function assertActsForAgent(
  tx: DbOrTx,
  p: UserPrincipal,
  agentId: string,
  what: string,
  scope: Scope,
): Promise<void> {
  if (p.roles[0] !== "member") return; // admins and owners: no lookup needed
  const [row] = await tx
    .select({ createdBy: agents.createdBy })
    .from(agents)
    .where(and(eq(agents.workspaceId, p.workspaceId), eq(agents.id, agentId)));
  if (!memberMayAct(p.roles[0], p.userId, row?.createdBy)) {
    throw notOwner(
      `Members can only ${what} of agents they created.`,
      scope,
      "Ask the agent's creator or a workspace admin.",
    );
  }
}
