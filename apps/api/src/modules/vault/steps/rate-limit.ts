import type { Database } from "../../../db/client.js";
import { AppError } from "../../../lib/errors.js";

const RESERVE = `
  insert into t_rate_counters (workspace_id, counter_key, window_seconds, window_start, count, expires_at)
  values ($1::uuid, $2, $3::int, $4::timestamptz, 1, $5::timestamptz)
  on conflict (workspace_id, counter_key, window_seconds, window_start)
  do update set count = t_rate_counters.count + 1 where t_rate_counters.count < $6::int
  returning count`;

/**
 * Policy rate limits and daily budgets, exact across replicas (DATA-MODEL.md §2.5): one
 * conditional upsert per counter, made just before the provider call, so only executed requests
 * count and no replica can overshoot. Fixed windows aligned to the epoch (budgets: UTC days).
 */
export async function reserveLimits(
  database: Database,
  workspaceId: string,
  policyId: string,
  limits:
    | { rateLimit?: { requests: number; windowSeconds: number }; budget?: { requestsPerDay: number } }
    | undefined,
  now: Date,
): Promise<void> {
  const counters: { key: string; windowS: number; max: number; code: "RATE_LIMITED" | "BUDGET_EXCEEDED" }[] =
    [];
  if (limits?.rateLimit) {
    counters.push({
      key: `rl:${policyId}`,
      windowS: limits.rateLimit.windowSeconds,
      max: limits.rateLimit.requests,
      code: "RATE_LIMITED",
    });
  }
  if (limits?.budget) {
    counters.push({
      key: `bd:${policyId}`,
      windowS: 86_400,
      max: limits.budget.requestsPerDay,
      code: "BUDGET_EXCEEDED",
    });
  }
  for (const c of counters) {
    const startMs = Math.floor(now.getTime() / (c.windowS * 1000)) * c.windowS * 1000;
    const start = new Date(startMs);
    const rows = await database.prepared<{ count: number }>(RESERVE, [
      workspaceId,
      c.key,
      c.windowS,
      start.toISOString(),
      new Date(startMs + 2 * c.windowS * 1000).toISOString(),
      c.max,
    ]);
    if (rows.length === 0) {
      const retry = Math.max(1, Math.ceil((startMs + c.windowS * 1000 - now.getTime()) / 1000));
      throw new AppError(
        c.code,
        c.code === "RATE_LIMITED"
          ? "The policy's rate limit is reached."
          : "The agent's daily budget is used up.",
        {
          headers: { "retry-after": String(retry) },
          details: { retryAfterSeconds: retry },
          hint: `Wait ${retry} s before retrying.`,
        },
      );
    }
  }
}
