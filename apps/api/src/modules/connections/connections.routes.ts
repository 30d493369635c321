import {
  ConnectionListQuerySchema,
  ConnectionListSchema,
  ConnectionSchema,
  CreateApiKeyConnectionRequestSchema,
  UpdateConnectionRequestSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { ConnectionService } from "./connections.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["connections"];

export const connectionRoutes: FastifyPluginAsyncZod<{ connections: ConnectionService }> = async (
  app,
  { connections },
) => {
  app.get(
    "/v1/connections",
    {
      config: { principal: "human", scope: "connections:read" },
      schema: { tags, querystring: ConnectionListQuerySchema, response: { 200: ConnectionListSchema } },
    },
    async (r) => {
      const { limit, cursor, ...f } = r.query;
      return connections.list(user(r), f, limit, cursor);
    },
  );

  app.get(
    "/v1/connections/:id",
    {
      config: { principal: "human", scope: "connections:read" },
      schema: { tags, params, response: { 200: ConnectionSchema } },
    },
    async (r) => connections.get(user(r), r.params.id),
  );

  app.post(
    "/v1/connections/api-key",
    {
      config: { principal: "human", scope: "connections:write" },
      schema: { tags, body: CreateApiKeyConnectionRequestSchema, response: { 201: ConnectionSchema } },
    },
    async (r, reply) => reply.status(201).send(await connections.createApiKey(user(r), r.body, r.id)),
  );

  app.patch(
    "/v1/connections/:id",
    {
      config: { principal: "human", scope: "connections:write" },
      schema: { tags, params, body: UpdateConnectionRequestSchema, response: { 200: ConnectionSchema } },
    },
    async (r) => connections.relabel(user(r), r.params.id, r.body.label, r.id),
  );

  app.delete(
    "/v1/connections/:id",
    { config: { principal: "human", scope: "connections:write", sensitive: true }, schema: { tags, params } },
    async (r, reply) => {
      await connections.revoke(user(r), r.params.id, r.id);
      return reply.status(204).send();
    },
  );
};
