import type { Scope } from "@agenthifive/contracts";
import { AppError } from "../../lib/errors.js";

/**
 * API.md §2.4: a member acts only on what they created (agents, connections, OAuth apps, and the
 * approvals and permission requests of their agents); admins and owners act on everything.
 */
export function memberMayAct(
  role: string | undefined,
  userId: string,
  createdBy: string | null | undefined,
): boolean {
  return role !== "member" || createdBy === userId;
}

/** The refusal when `memberMayAct` says no: 403 SCOPE_MISSING, reason `not_owner`. */
export function notOwner(
  message: string,
  scope: Scope,
  hint = "Ask its creator or a workspace admin.",
): AppError {
  return new AppError("SCOPE_MISSING", message, {
    details: { reason: "not_owner", required: [scope] },
    hint,
  });
}
