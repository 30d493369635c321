import type { FastifyRequest } from "fastify";
import { AppError } from "./errors.js";

/**
 * A fixed-window counter per key, for a second, longer limit on a route that already has
 * @fastify/rate-limit's (which runs once per request, so it cannot stack two windows).
 * Per replica, like the plugin's local store. Old windows are dropped as keys come back or
 * when the map grows past `maxKeys`.
 */
export function windowLimit(options: {
  max: number;
  windowMs: number;
  key: (request: FastifyRequest) => string;
  maxKeys?: number;
}) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return async (request: FastifyRequest) => {
    const now = Date.now();
    const key = options.key(request);
    let w = windows.get(key);
    if (!w || w.resetAt <= now) {
      if (windows.size >= maxKeys) for (const [k, v] of windows) if (v.resetAt <= now) windows.delete(k);
      w = { count: 0, resetAt: now + options.windowMs };
      windows.set(key, w);
    }
    w.count += 1;
    if (w.count > options.max) {
      throw new AppError("RATE_LIMITED", "Too many requests from this address.", {
        hint: "Wait before trying again.",
        headers: { "retry-after": String(Math.ceil((w.resetAt - now) / 1000)) },
      });
    }
  };
}
