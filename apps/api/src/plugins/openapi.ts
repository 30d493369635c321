import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import fp from "fastify-plugin";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** OpenAPI 3.1 generated from the same Zod schemas that validate requests, served at /docs. */
export const openApi = fp(
  async (app: FastifyInstance, opts: { publicUrl: string }) => {
    await app.register(swagger, {
      openapi: {
        openapi: "3.1.0",
        info: {
          title: "AgentHiFive API",
          version: "1.0.0",
          description:
            "Authority delegation for AI agents. Errors: { error, code, hint?, details?, requestId }.",
        },
        servers: [{ url: opts.publicUrl }],
        components: {
          securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
        },
        security: [{ bearer: [] }],
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, {
      routePrefix: "/docs",
      // Swagger UI needs scripts and styles from its own origin only.
      staticCSP: true,
      transformSpecificationClone: true,
    });
  },
  { name: "ah5-openapi" },
);
