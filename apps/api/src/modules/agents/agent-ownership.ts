import { and, eq } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.js";
import { agents } from "../../db/schema/index.js";
import { AppError } from "../../lib/errors.js";
import type { UserPrincipal } from "../workspaces/index.js";

/**
 * API.md §2.4: a member acts only for agents they created — deciding an agent's approvals and
 * permission requests included. Admins and owners act for every agent of the workspace.
 */
export async function assertActsForAgent(
  tx: DbOrTx,
  p: UserPrincipal,
  agentId: string,
  what: string,
  scope: string,
): Promise<void> {
  if (p.roles[0] !== "member") return;
  const [row] = await tx
    .select({ createdBy: agents.createdBy })
    .from(agents)
    .where(and(eq(agents.workspaceId, p.workspaceId), eq(agents.id, agentId)));
  if (row?.createdBy !== p.userId) {
    throw new AppError("SCOPE_MISSING", `Members can only ${what} of agents they created.`, {
      details: { reason: "not_owner", required: [scope] },
      hint: "Ask the agent's creator or a workspace admin.",
    });
  }
}
