import { TokenExchangeRequestSchema, TokenExchangeResponseSchema } from "@agenthifive/contracts";
import { fromNodeHeaders } from "better-auth/node";
import type { FastifyInstance } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError } from "../../lib/errors.js";
import { assertAllowedOrigin } from "../../lib/origin.js";
import type { DevMailbox } from "../mail/mailer.js";
import type { Auth } from "./better-auth.js";
import type { TokenExchangeService } from "./token-exchange.service.js";

const AUTH_BODY_LIMIT = 16 * 1024;
export const CLIENT_IP_HEADER = "x-ah5-client-ip";

/** Better Auth's router under /api/auth/*, fed the raw body (S6: 16 KiB). */
export async function betterAuthRoutes(app: FastifyInstance, opts: { auth: Auth; publicUrl: string }) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("*", { parseAs: "string", bodyLimit: AUTH_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );
  app.route({
    method: ["GET", "POST"],
    url: "/api/auth/*",
    bodyLimit: AUTH_BODY_LIMIT,
    config: { principal: "public" },
    schema: { hide: true },
    async handler(request, reply) {
      const url = new URL(request.url, opts.publicUrl);
      const body = request.method === "GET" || typeof request.body !== "string" ? undefined : request.body;
      // Better Auth's per-IP limiter reads the client address from this header; it is set from
      // request.ip (which honours TRUSTED_PROXIES) and never taken from the client.
      const headers = fromNodeHeaders(request.headers);
      headers.set(CLIENT_IP_HEADER, request.ip);
      const response = await opts.auth.handler(new Request(url, { method: request.method, headers, body }));
      reply.status(response.status);
      for (const [name, value] of response.headers) {
        if (name !== "set-cookie") reply.header(name, value);
      }
      const cookies = response.headers.getSetCookie();
      if (cookies.length) reply.header("set-cookie", cookies);
      return reply.send(response.body ? Buffer.from(await response.arrayBuffer()) : null);
    },
  });
}

export const tokenExchangeRoutes: FastifyPluginAsyncZod<{
  auth: Auth;
  exchange: TokenExchangeService;
  webOrigins: string[];
  perMinutePerIp: number;
}> = async (app, { auth, exchange, webOrigins, perMinutePerIp }) => {
  app.post(
    "/api/internal/token/exchange",
    {
      config: {
        principal: "public",
        // Per client address: the session cookie's value is not checked before the limit, so
        // keying on it would let random cookies open fresh buckets.
        rateLimit: { max: perMinutePerIp, timeWindow: 60_000, keyGenerator: (r) => `ip:${r.ip}` },
      },
      schema: {
        tags: ["auth"],
        summary: "Exchange the session cookie for a 5-minute API JWT",
        body: TokenExchangeRequestSchema.nullish(),
        response: { 200: TokenExchangeResponseSchema },
      },
      // CSRF checks run before the body is even parsed.
      onRequest: async (request) => {
        assertAllowedOrigin(request, webOrigins);
        if (request.headers["content-type"]?.split(";")[0]?.trim() !== "application/json") {
          throw new AppError("UNSUPPORTED_MEDIA_TYPE", "Send Content-Type: application/json.", {
            hint: "Send the body as application/json (it forces a CORS preflight cross-site).",
          });
        }
      },
    },
    async (request, reply) => {
      const info = await auth.getSession(fromNodeHeaders(request.headers));
      if (!info) throw new AppError("UNAUTHENTICATED", "No active session.", { hint: "Sign in again." });
      reply.header("cache-control", "no-store");
      return exchange.exchange(info, request.body?.workspaceId);
    },
  );
};

/** Development only: read the mails the API would have sent (sign-up, reset, invitations). */
export const devMailboxRoutes: FastifyPluginAsyncZod<{ mailbox: DevMailbox }> = async (app, { mailbox }) => {
  app.get(
    "/api/dev/mailbox",
    {
      config: { principal: "public" },
      schema: { hide: true, querystring: z.strictObject({ to: z.string().max(254).optional() }) },
    },
    async (request) => ({ items: mailbox.list(request.query.to) }),
  );
};
