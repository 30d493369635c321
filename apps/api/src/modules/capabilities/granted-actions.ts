import { type ActionTemplate, listActionTemplates } from "@agenthifive/oauth-connectors";
import { evaluateRequest } from "../policies/engine/index.js";

/** A concrete path a pattern matches: `*` → one segment, `**` → none. */
const samplePath = (pattern: string) =>
  pattern
    .split("/")
    .filter((s) => s !== "**")
    .map((s) => (s === "*" ? "x" : s))
    .join("/") || "/";

export interface ActionGrant {
  actionId: string;
  /** Every request of the action is let through (possibly after a person approves). */
  granted: boolean;
  requiresApproval: boolean;
}

/**
 * Which catalog actions a policy lets through, decided by the policy engine itself on one
 * representative request per (method, path) of the action, so "granted" never disagrees with
 * what the vault would do. Rate limits and budgets are not consulted: they throttle, not deny.
 */
export function grantedActions(
  policy: unknown,
  serviceId: string,
  origins: readonly string[],
  now: Date,
  devAllowHosts: readonly string[],
): ActionGrant[] {
  const origin = origins[0];
  return listActionTemplates(serviceId).map((action: ActionTemplate) => {
    if (!origin) return { actionId: action.id, granted: false, requiresApproval: false };
    let granted = true;
    let requiresApproval = false;
    for (const method of action.methods) {
      for (const path of action.paths) {
        const d = evaluateRequest(
          policy,
          { model: "B", method, url: `${origin}${samplePath(path)}` },
          { now, devAllowHosts },
        );
        if (d.decision === "deny") granted = false;
        if (d.decision === "require_approval") requiresApproval = true;
      }
    }
    return { actionId: action.id, granted, requiresApproval: granted && requiresApproval };
  });
}
