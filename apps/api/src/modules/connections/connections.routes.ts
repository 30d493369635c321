import {
  ConnectionListQuerySchema,
  ConnectionListSchema,
  ConnectionProbeSchema,
  ConnectionSchema,
  CreateApiKeyConnectionRequestSchema,
  DeviceStartRequestSchema,
  DeviceStartResponseSchema,
  DeviceStatusSchema,
  OAuthStartResponseSchema,
  ReconnectRequestSchema,
  UpdateConnectionRequestSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { ConnectionMaintenance } from "./connection-maintenance.service.js";
import type { ConnectionService } from "./connections.service.js";
import type { DeviceFlowService } from "./device-flow.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["connections"];

export const connectionRoutes: FastifyPluginAsyncZod<{
  connections: ConnectionService;
  maintenance: ConnectionMaintenance;
  deviceFlows: DeviceFlowService;
}> = async (app, { connections, maintenance, deviceFlows }) => {
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

  app.post(
    "/v1/connections/device/start",
    {
      config: { principal: "human", scope: "connections:write" },
      schema: { tags, body: DeviceStartRequestSchema, response: { 201: DeviceStartResponseSchema } },
    },
    async (r, reply) => reply.status(201).send(await deviceFlows.start(user(r), r.body)),
  );

  app.get(
    "/v1/connections/device/:id",
    {
      config: { principal: "human", scope: "connections:write" },
      schema: { tags, params, response: { 200: DeviceStatusSchema } },
    },
    async (r) => deviceFlows.status(user(r), r.params.id),
  );

  app.post(
    "/v1/connections/:id/reconnect",
    {
      config: { principal: "human", scope: "connections:write" },
      schema: {
        tags,
        params,
        body: ReconnectRequestSchema.nullish(),
        response: { 200: ConnectionSchema, 201: OAuthStartResponseSchema },
      },
    },
    async (r, reply) => {
      const body = r.body ?? {};
      if ("secret" in body) return maintenance.reconnectKey(user(r), r.params.id, body, r.id);
      return reply.status(201).send(await maintenance.reconnectOAuth(user(r), r.params.id, body));
    },
  );

  app.post(
    "/v1/connections/:id/test",
    {
      config: { principal: "human", scope: "connections:read" },
      schema: { tags, params, response: { 200: ConnectionProbeSchema } },
    },
    async (r) => maintenance.test(user(r), r.params.id, r.id),
  );
};
