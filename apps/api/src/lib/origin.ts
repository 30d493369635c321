import type { FastifyRequest } from "fastify";
import { AppError } from "./errors.js";

/**
 * CSRF defence for cookie-authenticated state changes (API.md S5): `Origin` (or, when absent,
 * the origin of `Referer`) must be one of the configured web origins.
 */
export function assertAllowedOrigin(request: FastifyRequest, allowed: readonly string[]): void {
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer);
  if (!origin || !allowed.includes(origin)) {
    throw new AppError("CSRF_ORIGIN_MISMATCH", "This request must come from the dashboard.", {
      hint: "Call this route from the dashboard origin.",
    });
  }
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
