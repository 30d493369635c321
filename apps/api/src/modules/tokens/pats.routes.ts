import {
  CreatePersonalAccessTokenRequestSchema,
  CreatePersonalAccessTokenResponseSchema,
  PageQuerySchema,
  PersonalAccessTokenListSchema,
  PersonalAccessTokenSchema,
  UpdatePersonalAccessTokenRequestSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { PatService } from "./pats.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const tags = ["tokens"];
const params = z.object({ id: uuidParam });

/** "JWT only": a PAT can never list, mint or revoke PATs (API.md §3.7). */
export const patRoutes: FastifyPluginAsyncZod<{ pats: PatService }> = async (app, { pats }) => {
  app.get(
    "/v1/tokens",
    {
      config: { principal: "human", scope: "tokens:manage", jwtOnly: true },
      schema: { tags, querystring: PageQuerySchema, response: { 200: PersonalAccessTokenListSchema } },
    },
    async (r) => pats.list(user(r), r.query.limit, r.query.cursor),
  );
  app.post(
    "/v1/tokens",
    {
      config: { principal: "human", scope: "tokens:manage", jwtOnly: true, sensitive: true },
      schema: {
        tags,
        body: CreatePersonalAccessTokenRequestSchema,
        response: { 201: CreatePersonalAccessTokenResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store");
      return reply.status(201).send(await pats.create(user(r), r.body, r.id));
    },
  );
  app.patch(
    "/v1/tokens/:id",
    {
      config: { principal: "human", scope: "tokens:manage", jwtOnly: true },
      schema: {
        tags,
        params,
        body: UpdatePersonalAccessTokenRequestSchema,
        response: { 200: PersonalAccessTokenSchema },
      },
    },
    async (r) => pats.rename(user(r), r.params.id, r.body.name),
  );
  app.delete(
    "/v1/tokens/:id",
    {
      config: { principal: "human", scope: "tokens:manage", jwtOnly: true, sensitive: true },
      schema: { tags, params },
    },
    async (r, reply) => {
      await pats.revoke(user(r), r.params.id, r.id);
      return reply.status(204).send();
    },
  );
};
