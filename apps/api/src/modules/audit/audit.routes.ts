import {
  AuditEventListSchema,
  AuditEventSchema,
  AuditExportQuerySchema,
  AuditListQuerySchema,
  AuditVerifyResponseSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { AuditService } from "./audit.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const tags = ["audit"];

export const auditRoutes: FastifyPluginAsyncZod<{ audit: AuditService }> = async (app, { audit }) => {
  app.get(
    "/v1/audit",
    {
      config: { principal: "human", scope: "audit:read" },
      schema: { tags, querystring: AuditListQuerySchema, response: { 200: AuditEventListSchema } },
    },
    async (r) => {
      const { limit, cursor, ...filter } = r.query;
      return audit.list(user(r), filter, limit, cursor);
    },
  );

  app.get(
    "/v1/audit/verify",
    {
      config: { principal: "human", scope: "audit:read" },
      schema: { tags, response: { 200: AuditVerifyResponseSchema } },
    },
    async (r) => audit.verify(user(r)),
  );

  app.get(
    "/v1/audit/export",
    {
      config: { principal: "human", scope: "audit:export", sensitive: true },
      schema: { tags, querystring: AuditExportQuerySchema },
    },
    async (r, reply) => {
      const { format, ...filter } = r.query;
      const stream = await audit.export(user(r), filter, format, r.id);
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson")
        .header(
          "content-disposition",
          `attachment; filename="agenthifive-audit-${stamp}.${format === "csv" ? "csv" : "ndjson"}"`,
        )
        .send(stream);
    },
  );

  app.get(
    "/v1/audit/:id",
    {
      config: { principal: "human", scope: "audit:read" },
      schema: { tags, params: z.object({ id: uuidParam }), response: { 200: AuditEventSchema } },
    },
    async (r) => audit.get(user(r), r.params.id),
  );
};
