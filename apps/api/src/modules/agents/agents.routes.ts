import {
  AgentDetailSchema,
  AgentListQuerySchema,
  AgentListSchema,
  AgentSchema,
  BootstrapSecretResponseSchema,
  CreateAgentRequestSchema,
  UpdateAgentRequestSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { AgentService } from "./agents.service.js";

const user = (request: FastifyRequest) => request.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["agents"];

/** Agent management for people (API.md §3.4). */
export const agentRoutes: FastifyPluginAsyncZod<{ agents: AgentService }> = async (app, { agents }) => {
  app.get(
    "/v1/agents",
    {
      config: { principal: "human", scope: "agents:read" },
      schema: { tags, querystring: AgentListQuerySchema, response: { 200: AgentListSchema } },
    },
    async (r) => agents.list(user(r), r.query.limit, r.query.cursor, r.query.status),
  );

  app.post(
    "/v1/agents",
    {
      config: { principal: "human", scope: "agents:write" },
      schema: { tags, body: CreateAgentRequestSchema, response: { 201: AgentSchema } },
    },
    async (r, reply) => reply.status(201).send(await agents.create(user(r), r.body, r.id)),
  );

  app.get(
    "/v1/agents/:id",
    {
      config: { principal: "human", scope: "agents:read" },
      schema: { tags, params, response: { 200: AgentDetailSchema } },
    },
    async (r) => agents.get(user(r), r.params.id),
  );

  app.patch(
    "/v1/agents/:id",
    {
      config: { principal: "human", scope: "agents:write" },
      schema: { tags, params, body: UpdateAgentRequestSchema, response: { 200: AgentSchema } },
    },
    async (r) => agents.update(user(r), r.params.id, r.body, r.id),
  );

  app.post(
    "/v1/agents/:id/disable",
    {
      config: { principal: "human", scope: "agents:write", sensitive: true },
      schema: { tags, params, response: { 200: AgentSchema } },
    },
    async (r) => agents.disable(user(r), r.params.id, r.id),
  );

  app.post(
    "/v1/agents/:id/enable",
    {
      config: { principal: "human", scope: "agents:write", sensitive: true },
      schema: { tags, params, response: { 200: AgentSchema } },
    },
    async (r) => agents.enable(user(r), r.params.id, r.id),
  );

  app.delete(
    "/v1/agents/:id",
    { config: { principal: "human", scope: "agents:write", sensitive: true }, schema: { tags, params } },
    async (r, reply) => {
      await agents.remove(user(r), r.params.id, r.id);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/agents/:id/bootstrap-secrets",
    {
      // A session JWT needs agents:write; a PAT needs the explicit agents:bootstrap scope.
      config: { principal: "human", scope: "agents:write", patScope: "agents:bootstrap", sensitive: true },
      schema: {
        tags,
        params,
        body: z.strictObject({}).nullish(),
        response: { 201: BootstrapSecretResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store");
      return reply.status(201).send(await agents.issueBootstrapSecret(user(r), r.params.id, r.id));
    },
  );

  app.delete(
    "/v1/agents/:id/tokens",
    {
      config: { principal: "human", scope: "agents:write", sensitive: true },
      schema: { tags, params, response: { 200: z.object({ revoked: z.number().int() }) } },
    },
    async (r) => agents.revokeTokens(user(r), r.params.id, r.id),
  );
};
