import {
  CreateOAuthAppRequestSchema,
  OAuthAppListSchema,
  OAuthAppSchema,
  PageQuerySchema,
  UpdateOAuthAppRequestSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { OAuthAppService } from "./oauth-apps.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["oauth-apps"];

export const oauthAppRoutes: FastifyPluginAsyncZod<{ oauthApps: OAuthAppService }> = async (
  app,
  { oauthApps },
) => {
  app.get(
    "/v1/oauth-apps",
    {
      config: { principal: "human", scope: "connections:read" },
      schema: { tags, querystring: PageQuerySchema, response: { 200: OAuthAppListSchema } },
    },
    async (r) => oauthApps.list(user(r), r.query.limit, r.query.cursor),
  );

  app.post(
    "/v1/oauth-apps",
    {
      config: { principal: "human", scope: "connections:write", sensitive: true },
      schema: { tags, body: CreateOAuthAppRequestSchema, response: { 201: OAuthAppSchema } },
    },
    async (r, reply) => reply.status(201).send(await oauthApps.create(user(r), r.body, r.id)),
  );

  app.patch(
    "/v1/oauth-apps/:id",
    {
      config: { principal: "human", scope: "connections:write", sensitive: true },
      schema: { tags, params, body: UpdateOAuthAppRequestSchema, response: { 200: OAuthAppSchema } },
    },
    async (r, reply) => {
      const updated = await oauthApps.update(user(r), r.params.id, r.body, r.headers["if-match"], r.id);
      return reply.header("etag", `"v${updated.version}"`).send(updated);
    },
  );

  app.delete(
    "/v1/oauth-apps/:id",
    { config: { principal: "human", scope: "connections:write", sensitive: true }, schema: { tags, params } },
    async (r, reply) => {
      await oauthApps.remove(user(r), r.params.id, r.id);
      return reply.status(204).send();
    },
  );
};
