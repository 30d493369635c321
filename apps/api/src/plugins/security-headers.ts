import helmet from "@fastify/helmet";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";

/** API.md S12: nosniff, no-referrer, HSTS over https, no-store under /v1, a strict CSP. */
export const securityHeaders = fp(
  async (app: FastifyInstance, opts: { https: boolean }) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'none'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'"],
          baseUri: ["'none'"],
        },
      },
      referrerPolicy: { policy: "no-referrer" },
      hsts: opts.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
      crossOriginEmbedderPolicy: false,
    });
    app.addHook("onSend", async (request, reply) => {
      reply.header("x-request-id", request.id);
      if (
        !reply.hasHeader("cache-control") &&
        (request.url.startsWith("/v1/") || request.url.startsWith("/api/"))
      ) {
        reply.header("cache-control", "no-store");
      }
    });
  },
  { name: "ah5-security-headers" },
);
