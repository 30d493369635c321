import {
  AcceptInvitationRequestSchema,
  AcceptInvitationResponseSchema,
  CreateInvitationRequestSchema,
  CreateWorkspaceRequestSchema,
  DeleteWorkspaceRequestSchema,
  InvitationListSchema,
  InvitationSchema,
  InvitationStatusSchema,
  MemberListSchema,
  MemberSchema,
  PageQuerySchema,
  UpdateMemberRequestSchema,
  UpdateWorkspaceRequestSchema,
  WorkspaceListSchema,
  WorkspaceSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../lib/errors.js";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal, WorkspaceService } from "./workspaces.service.js";

const user = (request: FastifyRequest) => request.principal as UserPrincipal;

export interface WorkspaceRoutesOptions {
  workspaces: WorkspaceService;
  /** Looks up the caller's user record (verified email) for invitation acceptance. */
  userById(id: string): Promise<{ id: string; email: string; emailVerified: boolean } | undefined>;
}

export const workspaceRoutes: FastifyPluginAsyncZod<WorkspaceRoutesOptions> = async (
  app,
  { workspaces, userById },
) => {
  const tags = ["workspaces"];

  app.get(
    "/v1/workspaces",
    {
      config: { principal: "human" },
      schema: { tags, querystring: PageQuerySchema, response: { 200: WorkspaceListSchema } },
    },
    async (request) => workspaces.listMine(user(request), request.query.limit, request.query.cursor),
  );

  app.post(
    "/v1/workspaces",
    {
      config: { principal: "human", jwtOnly: true },
      schema: { tags, body: CreateWorkspaceRequestSchema, response: { 201: WorkspaceSchema } },
    },
    async (request, reply) =>
      reply.status(201).send(await workspaces.create(user(request), request.body.name, request.id)),
  );

  app.get(
    "/v1/workspaces/current",
    {
      config: { principal: "human", scope: "workspace:read" },
      schema: { tags, response: { 200: WorkspaceSchema } },
    },
    async (request) => workspaces.getCurrent(user(request)),
  );

  app.patch(
    "/v1/workspaces/current",
    {
      config: { principal: "human", scope: "workspace:write" },
      schema: { tags, body: UpdateWorkspaceRequestSchema, response: { 200: WorkspaceSchema } },
    },
    async (request) => workspaces.update(user(request), request.body, request.id),
  );

  app.delete(
    "/v1/workspaces/current",
    {
      config: { principal: "human", scope: "workspace:delete", jwtOnly: true, sensitive: true },
      schema: {
        tags,
        body: DeleteWorkspaceRequestSchema,
        response: { 202: z.object({ deletionScheduledAt: z.string() }) },
      },
    },
    async (request, reply) =>
      reply
        .status(202)
        .send(await workspaces.scheduleDeletion(user(request), request.body.confirmName, request.id)),
  );

  app.get(
    "/v1/members",
    {
      config: { principal: "human", scope: "workspace:read" },
      schema: { tags, querystring: PageQuerySchema, response: { 200: MemberListSchema } },
    },
    async (request) => workspaces.listMembers(user(request), request.query.limit, request.query.cursor),
  );

  app.patch(
    "/v1/members/:userId",
    {
      config: { principal: "human", scope: "members:manage", sensitive: true },
      schema: {
        tags,
        params: z.object({ userId: uuidParam }),
        body: UpdateMemberRequestSchema,
        response: { 200: MemberSchema },
      },
    },
    async (request) =>
      workspaces.updateMemberRole(user(request), request.params.userId, request.body.role, request.id),
  );

  app.delete(
    "/v1/members/:userId",
    {
      // members:manage, or the caller leaving: the service decides.
      config: { principal: "human", scope: "workspace:read", sensitive: true },
      schema: { tags, params: z.object({ userId: uuidParam }) },
    },
    async (request, reply) => {
      await workspaces.removeMember(user(request), request.params.userId, request.id);
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/invitations",
    {
      config: { principal: "human", scope: "workspace:read" },
      schema: {
        tags,
        querystring: PageQuerySchema.extend({ status: InvitationStatusSchema.optional() }),
        response: { 200: InvitationListSchema },
      },
    },
    async (request) =>
      workspaces.listInvitations(
        user(request),
        request.query.limit,
        request.query.cursor,
        request.query.status,
      ),
  );

  app.post(
    "/v1/invitations",
    {
      config: { principal: "human", scope: "members:manage" },
      schema: { tags, body: CreateInvitationRequestSchema, response: { 201: InvitationSchema } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await workspaces.invite(user(request), request.body.email, request.body.role, request.id)),
  );

  app.delete(
    "/v1/invitations/:id",
    {
      config: { principal: "human", scope: "members:manage" },
      schema: { tags, params: z.object({ id: uuidParam }) },
    },
    async (request, reply) => {
      await workspaces.revokeInvitation(user(request), request.params.id, request.id);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/invitations/accept",
    {
      config: { principal: "human", jwtOnly: true },
      schema: {
        tags,
        body: AcceptInvitationRequestSchema,
        response: { 200: AcceptInvitationResponseSchema },
      },
    },
    async (request) => {
      const me = await userById(user(request).userId);
      if (!me) throw new AppError("UNAUTHENTICATED", "Unknown user.");
      return workspaces.acceptInvitation(me, request.body.token, request.id);
    },
  );
};
