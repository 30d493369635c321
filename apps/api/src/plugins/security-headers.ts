import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/**
 * API.md S12, as static headers set in one call: nosniff, no-referrer, HSTS over https,
 * `no-store` under /v1 and /api, and a strict CSP on HTML pages only (JSON responses do not
 * execute, so the ten extra browser headers a generic middleware adds would only cost time on
 * the hot path).
 */
export const securityHeaders = fp(
  async (app: FastifyInstance, opts: { https: boolean }) => {
    const always: Record<string, string> = {
      "x-content-type-options": "nosniff",
      "referrer-policy": "no-referrer",
      "x-frame-options": "DENY",
      ...(opts.https ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
    };
    const html = {
      "content-security-policy":
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    };
    // Callback style: an async hook would cost every response a promise and a microtask turn.
    app.addHook("onSend", (request, reply, payload, done) => {
      reply.headers(always);
      reply.header("x-request-id", request.id);
      const type = reply.getHeader("content-type");
      if (
        typeof type === "string" &&
        type.startsWith("text/html") &&
        !reply.hasHeader("content-security-policy")
      ) {
        reply.headers(html);
      }
      if (
        !reply.hasHeader("cache-control") &&
        (request.url.startsWith("/v1/") || request.url.startsWith("/api/"))
      ) {
        reply.header("cache-control", "no-store");
      }
      done(null, payload);
    });
  },
  { name: "ah5-security-headers" },
);
