import {
  CliLoginApproveRequestSchema,
  CliLoginDecisionResponseSchema,
  CliLoginDenyRequestSchema,
  CliLoginPendingQuerySchema,
  CliLoginPendingResponseSchema,
  CliLoginPollRequestSchema,
  CliLoginPollResponseSchema,
  CliLoginStartRequestSchema,
  CliLoginStartResponseSchema,
} from "@agenthifive/contracts";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import type { UserPrincipal } from "../workspaces/index.js";
import type { CliLoginService } from "./cli-login.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const tags = ["cli login"];

export interface CliLoginRoutesOptions {
  cliLogins: CliLoginService;
  startPerMinutePerIp?: number;
  pollPerMinutePerIp?: number;
}

/**
 * `ah5 login` (API.md §3.7). Start and poll are public and IP rate-limited; the device code is
 * the credential. Confirming is a POST by a signed-in person (session JWT only: a PAT never
 * mints PATs), never a GET, so a link preview cannot approve anything.
 */
/**
 * The signed-in person's side (look up, confirm, refuse): a session JWT only, never a PAT. A fresh
 * object per route: plugins keep per-route state next to a route's config.
 */
const byPerson = () =>
  ({
    principal: "human",
    scope: "tokens:manage",
    jwtOnly: true,
    rateLimit: { max: 20, timeWindow: 60_000 },
  }) as const;

export const cliLoginRoutes: FastifyPluginAsyncZod<CliLoginRoutesOptions> = async (app, opts) => {
  app.post(
    "/v1/cli/login",
    {
      bodyLimit: 16 * 1024,
      config: { principal: "public", rateLimit: { max: opts.startPerMinutePerIp ?? 10, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: "Start a CLI sign-in (device-authorization style)",
        body: CliLoginStartRequestSchema.nullish(),
        response: { 200: CliLoginStartResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store");
      return opts.cliLogins.start(r.body?.deviceName);
    },
  );

  app.post(
    "/v1/cli/login/poll",
    {
      bodyLimit: 16 * 1024,
      config: { principal: "public", rateLimit: { max: opts.pollPerMinutePerIp ?? 120, timeWindow: 60_000 } },
      schema: {
        tags,
        summary: "Poll a CLI sign-in; returns the personal access token once",
        body: CliLoginPollRequestSchema,
        response: { 200: CliLoginPollResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store").header("pragma", "no-cache");
      return opts.cliLogins.poll(r.body.deviceCode, r.id);
    },
  );

  app.get(
    "/v1/cli/login/pending",
    {
      config: byPerson(),
      schema: {
        tags,
        summary: "Which device asked for a CLI sign-in code, and when (shown before confirming)",
        querystring: CliLoginPendingQuerySchema,
        response: { 200: CliLoginPendingResponseSchema },
      },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store");
      return opts.cliLogins.pending(r.query.userCode);
    },
  );

  app.post(
    "/v1/cli/login/approve",
    {
      config: { ...byPerson(), sensitive: true },
      schema: {
        tags,
        summary: "Confirm a CLI sign-in code and choose the token's scopes",
        body: CliLoginApproveRequestSchema,
        response: { 200: CliLoginDecisionResponseSchema },
      },
    },
    async (r) => opts.cliLogins.decide(user(r), r.body, "approved", r.id),
  );

  app.post(
    "/v1/cli/login/deny",
    {
      config: byPerson(),
      schema: {
        tags,
        summary: "Refuse a CLI sign-in code",
        body: CliLoginDenyRequestSchema,
        response: { 200: CliLoginDecisionResponseSchema },
      },
    },
    async (r) => opts.cliLogins.decide(user(r), r.body, "denied", r.id),
  );
};
