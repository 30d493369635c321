import {
  ChannelListSchema,
  ChannelSchema,
  CreateChannelRequestSchema,
  CreateChannelResponseSchema,
  DeliveryListQuerySchema,
  DeliveryListSchema,
  PageQuerySchema,
  RotateChannelSecretResponseSchema,
  TestChannelResponseSchema,
  UpdateChannelRequestSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { NotificationService } from "./notifications.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["notification channels"];
const manage = { principal: "human", scope: "channels:manage" } as const;
const sensitive = { ...manage, sensitive: true } as const;

/** Notification channels for people with channels:manage (API.md §3.15). */
export const notificationRoutes: FastifyPluginAsyncZod<{ notifications: NotificationService }> = async (
  app,
  { notifications },
) => {
  app.get(
    "/v1/notification-channels",
    { config: manage, schema: { tags, querystring: PageQuerySchema, response: { 200: ChannelListSchema } } },
    async (r) => notifications.list(user(r), r.query.limit, r.query.cursor),
  );

  app.post(
    "/v1/notification-channels",
    {
      config: sensitive,
      schema: { tags, body: CreateChannelRequestSchema, response: { 201: CreateChannelResponseSchema } },
    },
    async (r, reply) => {
      // The signing secret is shown once: never cached anywhere.
      reply.header("cache-control", "no-store");
      return reply.status(201).send(await notifications.create(user(r), r.body, r.id));
    },
  );

  app.get(
    "/v1/notification-channels/:id",
    { config: manage, schema: { tags, params, response: { 200: ChannelSchema } } },
    async (r) => notifications.get(user(r), r.params.id),
  );

  app.patch(
    "/v1/notification-channels/:id",
    {
      config: sensitive,
      schema: { tags, params, body: UpdateChannelRequestSchema, response: { 200: ChannelSchema } },
    },
    async (r) => notifications.update(user(r), r.params.id, r.body, r.id),
  );

  app.delete(
    "/v1/notification-channels/:id",
    { config: sensitive, schema: { tags, params } },
    async (r, reply) => {
      await notifications.remove(user(r), r.params.id, r.id);
      return reply.status(204).send();
    },
  );

  app.post(
    "/v1/notification-channels/:id/rotate-secret",
    {
      config: sensitive,
      schema: {
        tags,
        params,
        body: z.strictObject({}).nullish(),
        response: { 200: RotateChannelSecretResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store");
      return notifications.rotateSecret(user(r), r.params.id, r.id);
    },
  );

  app.post(
    "/v1/notification-channels/:id/test",
    {
      config: manage,
      schema: {
        tags,
        params,
        body: z.strictObject({}).nullish(),
        response: { 200: TestChannelResponseSchema },
      },
    },
    async (r) => notifications.test(user(r), r.params.id, r.id),
  );

  app.get(
    "/v1/notification-channels/:id/deliveries",
    {
      config: manage,
      schema: { tags, params, querystring: DeliveryListQuerySchema, response: { 200: DeliveryListSchema } },
    },
    async (r) => {
      const { limit, cursor, status } = r.query;
      return notifications.listDeliveries(user(r), r.params.id, status, limit, cursor);
    },
  );
};
