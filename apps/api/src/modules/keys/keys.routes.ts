import { JwksResponseSchema } from "@agenthifive/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { SigningKeyService } from "./signing-keys.service.js";

export const keysRoutes: FastifyPluginAsyncZod<{ keys: SigningKeyService }> = async (app, { keys }) => {
  app.get(
    "/.well-known/jwks.json",
    {
      config: { principal: "public" },
      schema: { tags: ["keys"], summary: "Public JWT signing keys", response: { 200: JwksResponseSchema } },
    },
    async (_request, reply) => {
      reply.header("cache-control", "public, max-age=300");
      return keys.jwks();
    },
  );
};
