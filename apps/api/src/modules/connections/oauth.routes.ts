import { fromNodeHeaders } from "better-auth/node";
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Auth } from "../auth/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import type { OAuthFlowService } from "./oauth-flow.service.js";

const user = (r: FastifyRequest) => r.principal as UserPrincipal;
const tags = ["connections"];
const params = z.object({ provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/) });

const StartBody = z
  .strictObject({
    label: z.string().trim().min(1).max(100).optional(),
    scopes: z.array(z.string().min(1).max(200)).max(50).optional(),
    reconnectConnectionId: z.uuid().optional(),
    oauthAppId: z.uuid().optional(),
    returnTo: z
      .string()
      .max(2048)
      .regex(/^\/[^/\\]/, "must be a dashboard-relative path")
      .optional(),
  })
  .nullish();

const StartResponse = z.object({
  authorizationUrl: z.string(),
  pendingConnectionId: z.uuid(),
  expiresAt: z.string(),
});

/** Only the callback's own parameters, as single strings; anything else is ignored. */
const CallbackQuery = z.object({
  code: z.string().max(4096).optional(),
  state: z.string().max(4096).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(4096).optional(),
});

export const oauthRoutes: FastifyPluginAsyncZod<{ oauth: OAuthFlowService; auth: Auth }> = async (
  app,
  { oauth, auth },
) => {
  app.post(
    "/v1/oauth/:provider/start",
    {
      config: { principal: "human", scope: "connections:write", jwtOnly: true },
      schema: { tags, params, body: StartBody, response: { 201: StartResponse } },
    },
    async (r, reply) => {
      reply.header("cache-control", "no-store");
      return reply.status(201).send(await oauth.start(user(r), r.params.provider, r.body ?? {}));
    },
  );

  app.get(
    "/v1/oauth/:provider/callback",
    {
      config: { principal: "public" },
      // The query holds the authorization code and state: keep it out of request logs.
      logLevel: "warn",
      schema: { tags, hide: true },
    },
    async (r, reply) => {
      const provider = String((r.params as { provider?: unknown }).provider ?? "");
      const parsed = CallbackQuery.safeParse(r.query);
      const query: Record<string, string> = {};
      if (parsed.success) {
        for (const [k, v] of Object.entries(parsed.data)) if (typeof v === "string") query[k] = v;
      }
      const location = await oauth.callback(
        provider,
        query,
        async () => {
          const info = await auth.getSession(fromNodeHeaders(r.headers));
          return info?.user?.id && !info.user.disabledAt ? info.user.id : undefined;
        },
        r.id,
      );
      reply.header("cache-control", "no-store");
      reply.header("referrer-policy", "no-referrer");
      return reply.redirect(location, 302);
    },
  );
};
