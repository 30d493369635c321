import type { RateLimitPluginOptions } from "@fastify/rate-limit";
import type { FastifyRequest } from "fastify";
import type { Config } from "../config/config.js";

/** The principal a request is counted against: the agent, the PAT, or the person. */
function principalKey(request: FastifyRequest): string | undefined {
  const p = request.principal;
  if (!p) return undefined;
  if (p.kind === "agent") return `agent:${p.agentId}`;
  return p.credential === "pat" ? `pat:${p.credentialId}` : `user:${p.userId}`;
}

/**
 * API.md S3: authenticated routes are limited per principal (human 600/min, agent 1,200/min by
 * default), counted in memory per replica right after authentication; routes without a principal keep
 * their own per-address limits (sign-in, token exchange, bootstrap, agent token, action links).
 * Every 429 carries Retry-After and the RateLimit-* headers.
 */
export function principalRateLimits(
  config: Pick<Config, "RATE_LIMIT_HUMAN_PER_MINUTE" | "RATE_LIMIT_AGENT_PER_MINUTE">,
): RateLimitPluginOptions {
  return {
    global: true,
    // onRequest: the route-level hook runs after the app's authentication hook (so the principal
    // is known) and before the idempotency claim, so a refused request never takes up its key.
    hook: "onRequest",
    timeWindow: 60_000,
    enableDraftSpec: true,
    keyGenerator: (request) => principalKey(request) ?? `ip:${request.ip}`,
    max: (request) =>
      request.principal?.kind === "agent"
        ? config.RATE_LIMIT_AGENT_PER_MINUTE
        : config.RATE_LIMIT_HUMAN_PER_MINUTE,
    // A public route is limited only when it declares its own limit.
    allowList: (request) => !request.principal && typeof request.routeOptions.config.rateLimit !== "object",
    addHeaders: {
      "ratelimit-limit": true,
      "ratelimit-remaining": true,
      "ratelimit-reset": true,
      "retry-after": true,
    },
    addHeadersOnExceeding: {
      "ratelimit-limit": false,
      "ratelimit-remaining": false,
      "ratelimit-reset": false,
    },
  };
}
