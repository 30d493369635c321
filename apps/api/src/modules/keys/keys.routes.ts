import { JwksResponseSchema } from "@agenthifive/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { Database } from "../../db/client.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { type EncryptionKeyInfo, keyStatus } from "./key-status.js";
import type { SigningKeyService } from "./signing-keys.service.js";

export const keysRoutes: FastifyPluginAsyncZod<{
  keys: SigningKeyService;
  database: Database;
  encryption: EncryptionKeyInfo;
}> = async (app, { keys, database, encryption }) => {
  app.get(
    "/v1/security/keys",
    {
      config: { principal: "human", scope: "members:manage" },
      schema: { tags: ["keys"], summary: "Signing and encryption key status (ids and dates only)" },
    },
    async (r) => keyStatus(database, encryption, (r.principal as UserPrincipal).workspaceId),
  );

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
