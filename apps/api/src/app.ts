import { readdirSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import cors from "@fastify/cors";
import rateLimit from "@fastify/rate-limit";
import { sql } from "drizzle-orm";
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawServerDefault,
} from "fastify";
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { MIGRATIONS_FOLDER, migrationsApplied } from "./db/migrate.js";
import type { Deps } from "./deps.js";
import { lazyRequestLogger } from "./lib/request-logger.js";
import { actionLinkRoutes } from "./modules/action-links/index.js";
import {
  agentAuthRoutes,
  agentRoutes,
  createAgentRepo,
  listAgentConnections,
} from "./modules/agents/index.js";
import { approvalRoutes } from "./modules/approvals/index.js";
import { auditRoutes } from "./modules/audit/index.js";
import {
  betterAuthRoutes,
  createCookiePrincipal,
  devMailboxRoutes,
  tokenExchangeRoutes,
} from "./modules/auth/index.js";
import { capabilityRoutes } from "./modules/capabilities/index.js";
import { cliLoginRoutes, createCliLoginService } from "./modules/cli-login/index.js";
import { connectionRoutes, oauthAppRoutes, oauthRoutes } from "./modules/connections/index.js";
import { eventRoutes } from "./modules/events/index.js";
import { healthRoutes } from "./modules/health/health.routes.js";
import { keysRoutes } from "./modules/keys/index.js";
import { notificationRoutes } from "./modules/notifications/index.js";
import { policyRoutes } from "./modules/policies/index.js";
import { patRoutes } from "./modules/tokens/index.js";
import { llmProxyRoutes, vaultRoutes } from "./modules/vault/index.js";
import { workspaceRoutes } from "./modules/workspaces/index.js";
import { authGuard } from "./plugins/auth.js";
import { errorHandler } from "./plugins/error-handler.js";
import { idempotency } from "./plugins/idempotency.js";
import { principalRateLimits } from "./plugins/principal-rate-limits.js";
import { requestIdFor } from "./plugins/request-context.js";
import { securityHeaders } from "./plugins/security-headers.js";

const agentRepo = createAgentRepo();
const DEFAULT_BODY_LIMIT = 1024 * 1024;
const MIGRATION_COUNT = readdirSync(MIGRATIONS_FOLDER).filter((f) => f.endsWith(".sql")).length;

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Builds the HTTP app from its dependencies. Never reads the environment, never listens. */
export async function buildApp(deps: Deps): Promise<App> {
  const { config } = deps;
  let shuttingDown = false;
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    genReqId: requestIdFor,
    childLoggerFactory: lazyRequestLogger,
    logController: new LogController({
      requestIdLogLabel: "requestId",
      disableRequestLogging: config.NODE_ENV === "test",
    }),
    bodyLimit: DEFAULT_BODY_LIMIT,
    routerOptions: { maxParamLength: 200 },
    trustProxy: config.TRUSTED_PROXIES.length ? config.TRUSTED_PROXIES : false,
  }).withTypeProvider<ZodTypeProvider>();
  // An empty body with a JSON content type means "no body" (many HTTP clients send the header on
  // every POST); anything else goes through Fastify's parser with prototype-poisoning protection.
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text.trim() === "") return done(null, undefined);
    return parseJson(request, text, done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(errorHandler);
  await app.register(securityHeaders, { https: config.API_PUBLIC_URL.startsWith("https:") });
  // Agents are programs holding bearer tokens, never browsers: their routes answer without CORS
  // headers (and skip the hook's cost on the hot path). Public agent routes opt out themselves.
  app.addHook("onRoute", (route) => {
    if (route.config?.principal === "agent") route.config.cors = false;
  });
  await app.register(cors, {
    origin: config.WEB_ORIGINS,
    credentials: true,
    methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    allowedHeaders: ["authorization", "content-type", "if-match", "idempotency-key", "x-request-id"],
    exposedHeaders: [
      "x-request-id",
      "etag",
      "retry-after",
      "ratelimit-limit",
      "ratelimit-remaining",
      "ratelimit-reset",
    ],
  });
  await app.register(rateLimit, principalRateLimits(config));
  if (config.OPENAPI_ENABLED) {
    // Loaded only when enabled: the docs UI is not needed to serve the API.
    const { openApi } = await import("./plugins/openapi.js");
    await app.register(openApi, { publicUrl: config.API_PUBLIC_URL });
  }
  await app.register(authGuard, {
    keys: deps.keys,
    invalidation: deps.invalidation,
    liveRole: deps.liveRole,
    resolvers: {
      ah5t: (token) => deps.agentAuth.resolveToken(token),
      ah5p: (token) => deps.pats.resolve(token),
    },
    cookiePrincipal: createCookiePrincipal(deps.auth, deps.liveRole, config.WEB_ORIGINS),
    sessionIsLive: (sid) => deps.sessions.isLive(deps.database.db, sid, deps.clock.now()),
  });
  await app.register(idempotency, { database: deps.database, encryptor: deps.encryptor, clock: deps.clock });

  await app.register(healthRoutes, {
    isShuttingDown: () => shuttingDown,
    checks: {
      db: async () => {
        await deps.database.db.execute(sql`select 1`);
        return true;
      },
      migrations: () => migrationsApplied(deps.database, MIGRATION_COUNT),
      keys: () => deps.keys.hasActiveKey(),
    },
  });
  await app.register(keysRoutes, {
    keys: deps.keys,
    database: deps.database,
    encryption: deps.encryptionKeys,
  });
  await app.register(betterAuthRoutes, { auth: deps.auth, publicUrl: config.API_PUBLIC_URL });
  await app.register(tokenExchangeRoutes, {
    auth: deps.auth,
    exchange: deps.exchange,
    webOrigins: config.WEB_ORIGINS,
    perMinutePerIp: config.SESSION_EXCHANGE_PER_MINUTE_PER_IP,
  });
  if (deps.devMailbox) await app.register(devMailboxRoutes, { mailbox: deps.devMailbox });
  await app.register(workspaceRoutes, {
    workspaces: deps.workspaces,
    userById: (id) => deps.users.findById(deps.database.db, id),
  });

  await app.register(agentRoutes, { agents: deps.agents });
  await app.register(agentAuthRoutes, {
    agentAuth: deps.agentAuth,
    bootstrapPerMinutePerIp: config.AGENT_BOOTSTRAP_PER_MINUTE_PER_IP,
    bootstrapPerHourPerIp: config.AGENT_BOOTSTRAP_PER_HOUR_PER_IP,
    tokenPerMinutePerIp: config.AGENT_TOKEN_PER_MINUTE_PER_IP,
    findAgent: (w, id) => agentRepo.find(deps.database.db, w, id),
    listConnections: (w, id) => listAgentConnections(deps.database.db, w, id),
  });
  await app.register(patRoutes, { pats: deps.pats });
  await app.register(cliLoginRoutes, { cliLogins: createCliLoginService(deps) });
  await app.register(auditRoutes, { audit: deps.audit });
  await app.register(eventRoutes, { hub: deps.events, maxStreamMs: config.EVENT_STREAM_MAX_SECONDS * 1000 });
  await app.register(connectionRoutes, {
    connections: deps.connections,
    maintenance: deps.maintenance,
    deviceFlows: deps.deviceFlows,
  });
  await app.register(oauthAppRoutes, { oauthApps: deps.oauthApps });
  await app.register(oauthRoutes, { oauth: deps.oauth, auth: deps.auth });
  await app.register(policyRoutes, {
    policies: deps.policies,
    simulator: deps.simulator,
    templates: deps.policyTemplates,
  });
  await app.register(approvalRoutes, { approvals: deps.approvals });
  await app.register(capabilityRoutes, {
    capabilities: deps.capabilities,
    permissionRequests: deps.permissionRequests,
  });
  await app.register(notificationRoutes, { notifications: deps.notifications });
  await app.register(actionLinkRoutes, { actionLinks: deps.actionLinks });
  await app.register(vaultRoutes, { vault: deps.vault, bodyLimit: config.VAULT_MAX_BODY_BYTES });
  await app.register(llmProxyRoutes, {
    vault: deps.vault,
    bodyLimit: config.VAULT_MAX_BODY_BYTES,
    upstreams: deps.llmUpstreams,
    boundConnections: async (w, id) => (await listAgentConnections(deps.database.db, w, id)).items,
  });

  app.addHook("onClose", async () => {
    shuttingDown = true;
  });
  return app;
}
