import {
  AgentBootstrapRequestSchema,
  AgentBootstrapResponseSchema,
  AgentConnectionListSchema,
  AgentMeSchema,
  AgentTokenRequestSchema,
  AgentTokenResponseSchema,
  type Principal,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { notFound } from "../../lib/errors.js";
import { windowLimit } from "../../lib/window-limit.js";
import type { AgentAuthService } from "./agent-auth.service.js";
import type { listAgentConnections } from "./agent-connections.js";

export interface AgentAuthRoutesOptions {
  agentAuth: AgentAuthService;
  bootstrapPerMinutePerIp: number;
  bootstrapPerHourPerIp: number;
  tokenPerMinutePerIp: number;
  listConnections(workspaceId: string, agentId: string): ReturnType<typeof listAgentConnections>;
  findAgent(
    workspaceId: string,
    id: string,
  ): Promise<{ name: string; status: string; keyThumbprint: string | null } | undefined>;
}

const bearerToken = (r: FastifyRequest) => r.headers.authorization?.slice("Bearer ".length) ?? "";
const agent = (r: FastifyRequest) => r.principal as Extract<Principal, { kind: "agent" }>;

/** Agent enrollment, RFC 7523 token exchange and the agent's own routes (API.md §3.5–3.6). */
/** Secrets are 256-bit, so this limit is about noise and log volume, not brute force. */
export const agentAuthRoutes: FastifyPluginAsyncZod<AgentAuthRoutesOptions> = async (app, opts) => {
  // RFC 7523 clients send form-encoded bodies; this parser is scoped to this plugin.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_r, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  app.post(
    "/v1/agents/bootstrap",
    {
      bodyLimit: 16 * 1024,
      // API.md §3.5: 5/min/IP and 20/h/IP, so a slow guesser is stopped too.
      onRequest: windowLimit({ max: opts.bootstrapPerHourPerIp, windowMs: 3_600_000, key: (r) => r.ip }),
      config: {
        principal: "public",
        cors: false,
        rateLimit: { max: opts.bootstrapPerMinutePerIp, timeWindow: 60_000 },
      },
      schema: {
        tags: ["agent auth"],
        summary: "Enroll an agent's public key with a one-time bootstrap secret",
        body: AgentBootstrapRequestSchema,
        response: { 200: AgentBootstrapResponseSchema },
      },
    },
    async (r) => opts.agentAuth.bootstrap(r.body.bootstrapSecret, r.body.publicKey, r.id, r.ip),
  );

  app.post(
    "/v1/agents/token",
    {
      bodyLimit: 16 * 1024,
      config: {
        principal: "public",
        cors: false,
        rateLimit: { max: opts.tokenPerMinutePerIp, timeWindow: 60_000 },
      },
      schema: {
        tags: ["agent auth"],
        summary: "Exchange a signed client assertion (RFC 7523) for a short-lived agent token",
        body: AgentTokenRequestSchema,
        response: { 200: AgentTokenResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store").header("pragma", "no-cache");
      return opts.agentAuth.issueToken(r.body.client_assertion, r.id);
    },
  );

  app.get(
    "/v1/agent/me",
    {
      config: { principal: "agent", scope: "capabilities:read" },
      schema: { tags: ["agent"], response: { 200: AgentMeSchema } },
    },
    async (r) => {
      const me = agent(r);
      const row = await opts.findAgent(me.workspaceId, me.agentId);
      if (!row) throw notFound("Agent");
      // The expiry the authentication hook resolved: a second cache lookup could miss (TTL).
      const expiresAt = new Date(me.expiresAt);
      return {
        agentId: me.agentId,
        workspaceId: me.workspaceId,
        name: row.name,
        status: row.status as "active",
        keyThumbprint: row.keyThumbprint,
        tokenExpiresAt: expiresAt.toISOString(),
      };
    },
  );

  app.get(
    "/v1/agent/connections",
    {
      config: { principal: "agent", scope: "capabilities:read" },
      schema: { tags: ["agent"], response: { 200: AgentConnectionListSchema } },
    },
    async (r) => {
      const me = agent(r);
      const page = await opts.listConnections(me.workspaceId, me.agentId);
      return { ...page, items: page.items.map(({ metadata: _internal, ...item }) => item) };
    },
  );

  app.delete(
    "/v1/agent/token",
    { config: { principal: "agent", scope: "capabilities:read" }, schema: { tags: ["agent"] } },
    async (r, reply) => {
      await opts.agentAuth.logout(bearerToken(r));
      return reply.status(204).send();
    },
  );
};
