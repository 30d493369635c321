import {
  ApprovePermissionRequestSchema,
  CapabilitiesSchema,
  CreatePermissionRequestSchema,
  DenyPermissionRequestSchema,
  PermissionRequestListQuerySchema,
  PermissionRequestListSchema,
  PermissionRequestSchema,
  type Principal,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { CapabilityService } from "./capabilities.service.js";
import type { PermissionRequestService } from "./permission-requests.service.js";

const agent = (r: FastifyRequest) => r.principal as Extract<Principal, { kind: "agent" }>;
const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["capabilities"];

export const capabilityRoutes: FastifyPluginAsyncZod<{
  capabilities: CapabilityService;
  permissionRequests: PermissionRequestService;
}> = async (app, { capabilities, permissionRequests }) => {
  app.get(
    "/v1/capabilities",
    {
      config: { principal: "agent", scope: "capabilities:read" },
      schema: { tags: ["agent"], response: { 200: CapabilitiesSchema } },
    },
    async (r) => capabilities.forAgent(agent(r).workspaceId, agent(r).agentId),
  );

  app.post(
    "/v1/permission-requests",
    {
      config: { principal: "agent", scope: "capabilities:request" },
      schema: { tags, body: CreatePermissionRequestSchema, response: { 201: PermissionRequestSchema } },
    },
    async (r, reply) => reply.status(201).send(await permissionRequests.create(agent(r), r.body, r.id)),
  );

  app.get(
    "/v1/permission-requests/mine",
    {
      config: { principal: "agent", scope: "capabilities:request" },
      schema: {
        tags,
        querystring: PermissionRequestListQuerySchema.omit({ agentId: true }),
        response: { 200: PermissionRequestListSchema },
      },
    },
    async (r) => {
      const { limit, cursor, ...f } = r.query;
      return permissionRequests.mine(agent(r), f, limit, cursor);
    },
  );

  app.get(
    "/v1/permission-requests",
    {
      config: { principal: "human", scope: "approvals:read" },
      schema: {
        tags,
        querystring: PermissionRequestListQuerySchema,
        response: { 200: PermissionRequestListSchema },
      },
    },
    async (r) => {
      const { limit, cursor, ...f } = r.query;
      return permissionRequests.list(user(r), f, limit, cursor);
    },
  );

  app.post(
    "/v1/permission-requests/:id/approve",
    {
      config: { principal: "human", scope: ["approvals:decide", "policies:write"], sensitive: true },
      schema: {
        tags,
        params,
        body: ApprovePermissionRequestSchema,
        response: { 200: PermissionRequestSchema },
      },
    },
    async (r) => permissionRequests.approve(user(r), r.params.id, r.body, r.id),
  );

  app.post(
    "/v1/permission-requests/:id/deny",
    {
      config: { principal: "human", scope: "approvals:decide", sensitive: true },
      schema: { tags, params, body: DenyPermissionRequestSchema, response: { 200: PermissionRequestSchema } },
    },
    async (r) => permissionRequests.deny(user(r), r.params.id, r.body.note, r.id),
  );
};
