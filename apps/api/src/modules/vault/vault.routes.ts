import { type Principal, VaultExecuteRequestSchema } from "@agenthifive/contracts";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { VaultService } from "./execute.service.js";

export const VAULT_BODY_LIMIT = 10 * 1024 * 1024;

/** POST /v1/vault/execute (API.md §3.9): agents only, `vault:execute`. */
export const vaultRoutes: FastifyPluginAsyncZod<{ vault: VaultService; bodyLimit: number }> = async (
  app,
  { vault, bodyLimit },
) => {
  app.post(
    "/v1/vault/execute",
    {
      bodyLimit,
      config: { principal: "agent", scope: "vault:execute" },
      schema: {
        tags: ["vault"],
        summary:
          "Execute a provider request through the vault (Model B) or get a short-lived token (Model A)",
        body: VaultExecuteRequestSchema,
      },
    },
    async (r, reply) => {
      const agent = r.principal as Extract<Principal, { kind: "agent" }>;
      const token = r.headers.authorization?.slice("Bearer ".length) ?? "";
      const result = await vault.execute(agent, r.body, token, r.id);
      reply.header("cache-control", "no-store");
      if (result.kind === "approval") reply.header("x-ah5-approval-required", "true");
      if (result.kind !== "approval" && result.headers) reply.headers(result.headers);
      return reply.status(result.status).send(result.body);
    },
  );
};
