import {
  CreatePolicyFromTemplateRequestSchema,
  CreatePolicyRequestSchema,
  PageQuerySchema,
  PolicyListQuerySchema,
  PolicyListSchema,
  PolicySchema,
  PolicyTemplateListSchema,
  PolicyTemplateQuerySchema,
  PolicyVersionListSchema,
  ReplacePolicyRequestSchema,
  SimulateRequestSchema,
  SimulateResponseSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { PolicyService } from "./policies.service.js";
import type { PolicySimulator } from "./simulate.js";
import type { PolicyTemplateCatalog } from "./templates.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["policies"];

export const policyRoutes: FastifyPluginAsyncZod<{
  policies: PolicyService;
  simulator: PolicySimulator;
  templates: PolicyTemplateCatalog;
}> = async (app, { policies, simulator, templates }) => {
  app.get(
    "/v1/policies",
    {
      config: { principal: "human", scope: "policies:read" },
      schema: { tags, querystring: PolicyListQuerySchema, response: { 200: PolicyListSchema } },
    },
    async (r) => {
      const { limit, cursor, ...f } = r.query;
      return policies.list(user(r), f, limit, cursor);
    },
  );

  app.post(
    "/v1/policies",
    {
      config: { principal: "human", scope: "policies:write", sensitive: true },
      schema: {
        tags,
        body: z.union([CreatePolicyFromTemplateRequestSchema, CreatePolicyRequestSchema]),
        response: { 201: PolicySchema },
      },
    },
    async (r, reply) => {
      const body = r.body;
      const policy =
        "templateId" in body
          ? await policies.createFromTemplate(user(r), body, r.id)
          : await policies.create(user(r), body, r.id);
      return reply.status(201).header("etag", `"v${policy.version}"`).send(policy);
    },
  );

  app.get(
    "/v1/policy-templates",
    {
      config: { principal: "human", scope: "policies:read" },
      schema: { tags, querystring: PolicyTemplateQuerySchema, response: { 200: PolicyTemplateListSchema } },
    },
    async (r) => ({ items: templates.list(r.query) }),
  );

  app.get(
    "/v1/policies/:id",
    {
      config: { principal: "human", scope: "policies:read" },
      schema: { tags, params, response: { 200: PolicySchema } },
    },
    async (r, reply) => {
      const policy = await policies.get(user(r), r.params.id);
      return reply.header("etag", `"v${policy.version}"`).send(policy);
    },
  );

  app.put(
    "/v1/policies/:id",
    {
      config: { principal: "human", scope: "policies:write", sensitive: true },
      schema: { tags, params, body: ReplacePolicyRequestSchema, response: { 200: PolicySchema } },
    },
    async (r, reply) => {
      const policy = await policies.replace(user(r), r.params.id, r.body, r.headers["if-match"], r.id);
      return reply.header("etag", `"v${policy.version}"`).send(policy);
    },
  );

  app.delete(
    "/v1/policies/:id",
    { config: { principal: "human", scope: "policies:write", sensitive: true }, schema: { tags, params } },
    async (r, reply) => {
      await policies.remove(user(r), r.params.id, r.headers["if-match"], r.id);
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/policies/:id/versions",
    {
      config: { principal: "human", scope: "policies:read" },
      schema: { tags, params, querystring: PageQuerySchema, response: { 200: PolicyVersionListSchema } },
    },
    async (r) => policies.versions(user(r), r.params.id, r.query.limit, r.query.cursor),
  );

  app.post(
    "/v1/policies/simulate",
    {
      config: { principal: "human", scope: "policies:read" },
      schema: { tags, body: SimulateRequestSchema, response: { 200: SimulateResponseSchema } },
    },
    async (r) => simulator.simulate(user(r), r.body),
  );
};
