import {
  ApprovalDecisionRequestSchema,
  ApprovalListQuerySchema,
  ApprovalListSchema,
  ApprovalSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { uuidParam } from "../../lib/params.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { ApprovalService } from "./approvals.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const params = z.object({ id: uuidParam });
const tags = ["approvals"];

export const approvalRoutes: FastifyPluginAsyncZod<{ approvals: ApprovalService }> = async (
  app,
  { approvals },
) => {
  app.get(
    "/v1/approvals",
    {
      config: { principal: "human", scope: "approvals:read" },
      schema: { tags, querystring: ApprovalListQuerySchema, response: { 200: ApprovalListSchema } },
    },
    async (r) => {
      const { limit, cursor, ...f } = r.query;
      return approvals.list(user(r), f, limit, cursor);
    },
  );

  app.get(
    "/v1/approvals/:id",
    {
      // The one route open to both: people with approvals:read, agents (own rows only) with
      // capabilities:request.
      config: { principal: "human+agent", scope: "approvals:read", agentScope: "capabilities:request" },
      schema: {
        tags,
        params,
        querystring: z.strictObject({ wait: z.coerce.number().int().min(0).max(30).default(0) }),
        response: { 200: ApprovalSchema },
      },
    },
    async (r) => approvals.get(r.principal as NonNullable<typeof r.principal>, r.params.id, r.query.wait),
  );

  for (const [action, status] of [
    ["approve", "approved"],
    ["deny", "denied"],
  ] as const) {
    app.post(
      `/v1/approvals/:id/${action}`,
      {
        config: { principal: "human", scope: "approvals:decide", sensitive: true },
        schema: {
          tags,
          params,
          body: ApprovalDecisionRequestSchema.nullish(),
          response: { 200: ApprovalSchema },
        },
      },
      async (r) => approvals.decide(user(r), r.params.id, status, r.body?.note, r.id),
    );
  }
};
