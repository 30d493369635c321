import type { SimulateRequestSchema } from "@agenthifive/contracts";
import type { z } from "zod";
import type { Clock } from "../../lib/clock.js";
import { notFound } from "../../lib/errors.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { evaluateRequest, filterResponse } from "./engine/index.js";
import type { PolicyService } from "./policies.service.js";

type SimulateInput = z.infer<typeof SimulateRequestSchema>;

/**
 * Dry run (API.md §3.8): the engine's decision, rule and hint for a sample request, and the
 * redactions a sample response would get. No provider call, no audit row, no approval.
 */
export function createPolicySimulator(deps: {
  policies: PolicyService;
  /** The bound connection of a stored policy: Model A depends on its auth type. */
  connection(p: UserPrincipal, id: string): Promise<{ authType: string }>;
  clock: Clock;
  devAllowHosts: string[];
}) {
  return {
    async simulate(p: UserPrincipal, input: SimulateInput) {
      let document: unknown = input.policy;
      let connection: { authType: string } | undefined;
      if (input.policyId) {
        const stored = await deps.policies.get(p, input.policyId);
        document = stored.document;
        connection = await deps.connection(p, stored.connectionId);
      }
      if (document === undefined) throw notFound("Policy");
      const compiled = deps.policies.compile(document);
      const { request } = input;
      const decision = evaluateRequest(
        compiled,
        {
          model: request.model,
          method: request.method,
          url: request.url,
          query: request.query,
          headers: request.headers,
          body: request.bodySample,
        },
        {
          now: request.at ?? deps.clock.now(),
          // A draft is tried as if bound to an OAuth connection; a stored policy uses its own.
          connectionAuthType: connection?.authType ?? "oauth",
          devAllowHosts: deps.devAllowHosts,
        },
      );
      const result: Record<string, unknown> = {
        decision: decision.decision,
        reason: decision.reason,
        shadow: decision.shadow,
        ...(decision.code ? { code: decision.code } : {}),
        ...(decision.ruleId ? { ruleId: decision.ruleId } : {}),
        ...(decision.hint ? { hint: decision.hint } : {}),
      };
      if (input.responseSample && decision.decision !== "deny") {
        const filtered = filterResponse(
          compiled,
          { method: request.method, url: request.url, query: request.query },
          {
            status: input.responseSample.status,
            contentType: input.responseSample.contentType ?? "application/json",
            body: input.responseSample.body,
          },
        );
        result.redactions = filtered.redactions;
        result.filteredBody = filtered.blocked ? undefined : filtered.body;
      }
      return result as {
        decision: "allow" | "deny" | "require_approval";
        reason: string;
        shadow: { ruleId: string; wouldBe: string }[];
      };
    },
  };
}
export type PolicySimulator = ReturnType<typeof createPolicySimulator>;
