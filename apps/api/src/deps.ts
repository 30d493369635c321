import { createHmac } from "node:crypto";
import { join } from "node:path";
import { createEnvelopeEncryptor, type EnvelopeEncryptor, parseKeyRingConfig } from "@agenthifive/security";
import type { JWK } from "jose";
import type { Logger } from "pino";
import type { Config } from "./config/config.js";
import { resolveSecrets } from "./config/secrets.js";
import { type Database, openDatabase } from "./db/client.js";
import { createInvalidationBus, type InvalidationBus } from "./db/invalidation.js";
import { runMigrations } from "./db/migrate.js";
import { cleanupOnce } from "./jobs/cleanup.js";
import { reencryptBatch } from "./jobs/reencrypt.js";
import { startJobs } from "./jobs/runner.js";
import { type Clock, systemClock } from "./lib/clock.js";
import { type CursorCodec, createCursorCodec } from "./lib/cursor.js";
import { createLogger } from "./lib/logger.js";
import { createSafeFetch } from "./lib/safe-fetch.js";
import { type ActionLinkService, createActionLinkService } from "./modules/action-links/index.js";
import {
  type AgentAuthService,
  type AgentService,
  createAgentAuthService,
  createAgentService,
} from "./modules/agents/index.js";
import { type ApprovalService, createApprovalService } from "./modules/approvals/index.js";
import {
  type AuditService,
  type AuditWriter,
  createAuditService,
  createAuditWriter,
  purgeExpiredAudit,
  sealAuditBacklog,
} from "./modules/audit/index.js";
import {
  type Auth,
  createAuth,
  createSessionRepo,
  createTokenExchangeService,
  type TokenExchangeService,
} from "./modules/auth/index.js";
import {
  type CapabilityService,
  createCapabilityService,
  createPermissionRequestService,
  type PermissionRequestService,
} from "./modules/capabilities/index.js";
import {
  type ApiKeyVerifier,
  type ConnectionMaintenance,
  type ConnectionService,
  createApiKeyVerifier,
  createConnectionMaintenance,
  createConnectionService,
  createDeviceFlowService,
  createOAuthAppService,
  createOAuthClientResolver,
  createOAuthConnectionWriter,
  createOAuthFlowService,
  createServiceDirectory,
  createTokenRefresher,
  type DeviceFlowService,
  type ExtraOAuthProvider,
  genericProviderFromConfig,
  type OAuthAppService,
  type OAuthFlowService,
  platformOAuthClients,
  type ServiceDirectory,
  type TokenRefresher,
} from "./modules/connections/index.js";
import { createEventHub, type EventHub } from "./modules/events/index.js";
import { createSigningKeyService, type SigningKeyService } from "./modules/keys/index.js";
import {
  createDevMailbox,
  createSmtpMailer,
  type DevMailbox,
  fanOutMailer,
  type Mailer,
} from "./modules/mail/mailer.js";
import { createNotificationService, type NotificationService } from "./modules/notifications/index.js";
import {
  createPolicyService,
  createPolicySimulator,
  createPolicyTemplateCatalog,
  type PolicyService,
  type PolicySimulator,
  type PolicyTemplateCatalog,
} from "./modules/policies/index.js";
import { createPatService, type PatService } from "./modules/tokens/index.js";
import { createUserRepo } from "./modules/users/users.repo.js";
import {
  createConnectionCache,
  createVaultService,
  LLM_UPSTREAMS,
  type OutboundClient,
  type VaultService,
} from "./modules/vault/index.js";
import {
  createMembershipCache,
  createWorkspaceService,
  type LiveRole,
  type WorkspaceService,
} from "./modules/workspaces/index.js";

export interface Deps {
  events: EventHub;
  config: Config;
  logger: Logger;
  clock: Clock;
  database: Database;
  encryptor: EnvelopeEncryptor;
  /** Key ids of the encryption ring (never the keys), for the key status panel. */
  encryptionKeys: { activeKid: string; kids(): string[] };
  invalidation: InvalidationBus;
  cursors: CursorCodec;
  mailer: Mailer;
  devMailbox: DevMailbox | undefined;
  keys: SigningKeyService;
  workspaces: WorkspaceService;
  auth: Auth;
  exchange: TokenExchangeService;
  users: ReturnType<typeof createUserRepo>;
  liveRole: LiveRole;
  agents: AgentService;
  agentAuth: AgentAuthService;
  pats: PatService;
  auditWriter: AuditWriter;
  audit: AuditService;
  connections: ConnectionService;
  oauth: OAuthFlowService;
  deviceFlows: DeviceFlowService;
  oauthApps: OAuthAppService;
  maintenance: ConnectionMaintenance;
  refresher: TokenRefresher;
  policies: PolicyService;
  policyTemplates: PolicyTemplateCatalog;
  capabilities: CapabilityService;
  permissionRequests: PermissionRequestService;
  services: ServiceDirectory;
  simulator: PolicySimulator;
  approvals: ApprovalService;
  notifications: NotificationService;
  actionLinks: ActionLinkService;
  vault: VaultService;
  llmUpstreams: Readonly<Record<string, string>>;
  sessions: ReturnType<typeof createSessionRepo>;
  /** Applies migrations, starts listening, makes sure a signing key is active. */
  start(): Promise<void>;
  /** Stops listening and closes the database. */
  close(): Promise<void>;
}

export interface DepsOverrides {
  database?: Database;
  clock?: Clock;
  logger?: Logger;
  mailer?: Mailer;
  /** Better Auth's per-IP limiter; tests that sign up many users turn it off. */
  authRateLimit?: boolean;
  /** Background jobs (sealer, cleanup). On in the server; tests drive them directly. */
  jobs?: boolean;
  /** Outbound HTTP for provider calls (default: the SSRF-guarded client). */
  outbound?: OutboundClient;
  /** API-key verification against the provider (default: the connector catalog's check). */
  verifyApiKey?: ApiKeyVerifier;
  /** Tests only: OAuth providers defined at runtime (`defineOidcProvider`) with their client. */
  extraProviders?: ExtraOAuthProvider[];
  /** Tests only: LLM provider bases (API.md §3.10) pointing at a local stand-in. */
  llmUpstreams?: Record<string, string>;
  /** Tests only: Slack/Telegram API bases pointing at a local stand-in. */
  notificationEndpoints?: { slackApi?: string; telegramApi?: string };
}

/** The one composition root: every service gets its collaborators here, and only here. */
export async function createDeps(config: Config, overrides: DepsOverrides = {}): Promise<Deps> {
  const logger = overrides.logger ?? createLogger(config.LOG_LEVEL);
  const clock = overrides.clock ?? systemClock;
  const secrets = resolveSecrets(config);
  const keyRing = parseKeyRingConfig(secrets.encryptionKeys, secrets.encryptionActiveKid);
  const encryptor = createEnvelopeEncryptor({ keyRing });
  const database =
    overrides.database ??
    (await openDatabase({
      url: config.DATABASE_URL,
      dataDir: join(config.DATA_DIR, "pglite"),
      poolMax: config.DATABASE_POOL_MAX,
    }));
  const invalidation = createInvalidationBus(database);
  const events = createEventHub(database, () => clock.now());
  const cursors = createCursorCodec(
    createHmac("sha256", secrets.authSecret).update("ah5:cursor").digest("base64url"),
  );
  const devMailbox = config.DEV_MAILBOX_ENABLED ? createDevMailbox(logger) : undefined;
  const mailers: Mailer[] = [];
  if (overrides.mailer) mailers.push(overrides.mailer);
  if (config.SMTP_URL) mailers.push(createSmtpMailer(config.SMTP_URL, config.MAIL_FROM));
  if (devMailbox) mailers.push(devMailbox.mailer);
  const mailer = fanOutMailer(mailers);

  const keys = createSigningKeyService({
    database,
    encryptor,
    clock,
    invalidation,
    issuer: config.JWT_ISSUER,
    audience: "api",
  });
  let pats: PatService | undefined;
  const workspaces = createWorkspaceService({
    database,
    clock,
    cursors,
    invalidation,
    mailer,
    webUrl: config.WEB_URL,
    onMemberRemoved: (tx, w, u) => pats?.revokeAllOfMember(tx, w, u) ?? Promise.resolve(),
  });
  const liveRole = createMembershipCache((w, u) => workspaces.membership(w, u), invalidation);
  pats = createPatService({ database, clock, cursors, invalidation, liveRole });
  const agents = createAgentService({
    database,
    clock,
    cursors,
    invalidation,
    apiPublicUrl: config.API_PUBLIC_URL,
  });
  const agentAuth = createAgentAuthService({
    database,
    clock,
    invalidation,
    tokenEndpoint: `${config.API_PUBLIC_URL}/v1/agents/token`,
    audienceAlias: config.AGENT_TOKEN_AUDIENCE,
    tokenTtlSeconds: config.AGENT_TOKEN_TTL_SECONDS,
    perAgentPerMinute: config.AGENT_TOKEN_PER_MINUTE_PER_AGENT,
    events,
  });
  const social = Object.fromEntries(
    (["google", "github", "microsoft"] as const)
      .map(
        (p) =>
          [
            p,
            config[`${p.toUpperCase() as "GOOGLE"}_CLIENT_ID`],
            config[`${p.toUpperCase() as "GOOGLE"}_CLIENT_SECRET`],
          ] as const,
      )
      .filter(([, id, secret]) => id && secret)
      .map(([p, clientId, clientSecret]) => [
        p,
        { clientId: clientId as string, clientSecret: clientSecret as string },
      ]),
  );
  const auth = createAuth({
    db: database.db,
    secret: secrets.authSecret,
    baseUrl: config.BROWSER_BASE_URL,
    webUrl: config.WEB_URL,
    trustedOrigins: [
      ...new Set([
        ...config.WEB_ORIGINS,
        new URL(config.API_PUBLIC_URL).origin,
        new URL(config.BROWSER_BASE_URL).origin,
      ]),
    ],
    sessionTtlSeconds: config.SESSION_TTL_SECONDS,
    secureCookies: config.NODE_ENV === "production",
    requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
    mailer,
    social,
    rateLimit: overrides.authRateLimit ?? config.NODE_ENV !== "test",
    onUserCreated: async (user) => {
      await workspaces.createPersonalWorkspace(user.id, user.name);
    },
  });
  const auditWriter = createAuditWriter({ database, logger });
  const audit = createAuditService({ database, clock, cursors, writer: auditWriter });
  let jobs: ReturnType<typeof startJobs> | undefined;
  const safeFetch = createSafeFetch({
    devAllowHosts: config.VAULT_DEV_ALLOW_HOSTS,
    timeoutMs: config.PROVIDER_TIMEOUT_MS,
  });
  const outbound = overrides.outbound ?? safeFetch;
  const connections = createConnectionService({
    database,
    clock,
    cursors,
    invalidation,
    encryptor,
    events,
    verifyApiKey:
      overrides.verifyApiKey ?? createApiKeyVerifier(safeFetch.fetch, config.VAULT_DEV_ALLOW_HOSTS),
    revokeAtProvider: async (provider, token, hint, owner) => {
      const connector = await oauthClients.connectorFor(provider, owner);
      if (!connector) return "not_supported";
      const result = await connector.revoke(token, hint);
      return result.revoked ? "revoked" : "not_supported";
    },
  });
  const extraProviders = [
    ...(overrides.extraProviders ?? []),
    ...optional(genericProviderFromConfig(config)),
  ];
  const services = createServiceDirectory(extraProviders);
  const oauthClients = createOAuthClientResolver({
    platformClients: platformOAuthClients(config),
    extraProviders,
    devAllowHosts: config.VAULT_DEV_ALLOW_HOSTS,
    // The browser comes back here after the provider, carrying the dashboard's session cookie.
    apiPublicUrl: config.BROWSER_BASE_URL,
    fetch: safeFetch.fetch,
    now: () => clock.now().getTime(),
    loadWorkspaceApp: (workspaceId, appId) => oauthApps.client(workspaceId, appId),
  });
  const oauthApps = createOAuthAppService({ database, clock, cursors, encryptor, clients: oauthClients });
  const resolveAppId = oauthApps.resolveAppId;
  const writeOAuthConnection = createOAuthConnectionWriter({
    database,
    clock,
    encryptor,
    invalidation,
    clients: oauthClients,
    events,
  });
  const oauth = createOAuthFlowService({
    database,
    clock,
    encryptor,
    invalidation,
    clients: oauthClients,
    liveRole,
    webUrl: config.WEB_URL,
    persist: writeOAuthConnection,
    resolveAppId,
  });
  const refresher = createTokenRefresher({
    database,
    clock,
    encryptor,
    invalidation,
    clients: oauthClients,
    events,
  });
  const maintenance = createConnectionMaintenance({
    database,
    clock,
    encryptor,
    invalidation,
    verifyApiKey:
      overrides.verifyApiKey ?? createApiKeyVerifier(safeFetch.fetch, config.VAULT_DEV_ALLOW_HOSTS),
    oauth,
    clients: oauthClients,
    refresher,
    events,
  });
  const deviceFlows = createDeviceFlowService({
    database,
    clock,
    encryptor,
    clients: oauthClients,
    persist: writeOAuthConnection,
    resolveAppId,
    liveRole,
  });
  const policies = createPolicyService({ database, clock, cursors, invalidation, events, services });
  const policyTemplates = createPolicyTemplateCatalog(services);
  const capabilities = createCapabilityService({
    database,
    clock,
    services,
    policies,
    devAllowHosts: config.VAULT_DEV_ALLOW_HOSTS,
  });
  const permissionRequests = createPermissionRequestService({
    database,
    clock,
    cursors,
    services,
    policies,
    capabilities,
    events,
  });
  const simulator = createPolicySimulator({
    policies,
    connection: (p, id) => connections.get(p, id),
    clock,
    devAllowHosts: config.VAULT_DEV_ALLOW_HOSTS,
  });
  const approvals = createApprovalService({ database, clock, cursors, invalidation, events });
  const actionLinks = createActionLinkService({
    database,
    clock,
    approvals,
    apiPublicUrl: config.API_PUBLIC_URL,
    nonceKey: createHmac("sha256", secrets.authSecret).update("ah5:action-link-nonce").digest(),
  });
  const notifications = createNotificationService({
    database,
    clock,
    cursors,
    encryptor,
    http: safeFetch,
    mailer,
    endpoints: overrides.notificationEndpoints,
    devAllowHosts: config.VAULT_DEV_ALLOW_HOSTS,
    actionLinks,
  });
  events.onEmit(notifications.enqueue);
  const vault = createVaultService({
    database,
    clock,
    policies,
    approvals,
    audit: auditWriter,
    connections: createConnectionCache({ database, encryptor, invalidation }),
    refresher,
    outbound,
    devAllowHosts: config.VAULT_DEV_ALLOW_HOSTS,
    approvalTtlSeconds: 900,
  });
  const exchange = createTokenExchangeService({ database, keys, workspaces });
  const configuredKeys = config.JWT_SIGNING_KEYS ? (JSON.parse(config.JWT_SIGNING_KEYS) as JWK[]) : [];

  return {
    events,
    config,
    logger,
    clock,
    database,
    encryptor,
    encryptionKeys: { activeKid: keyRing.activeKid, kids: () => keyRing.kids() },
    invalidation,
    cursors,
    mailer,
    devMailbox,
    keys,
    workspaces,
    auth,
    exchange,
    users: createUserRepo(),
    liveRole,
    agents,
    agentAuth,
    pats,
    auditWriter,
    audit,
    connections,
    oauth,
    deviceFlows,
    oauthApps,
    maintenance,
    refresher,
    policies,
    policyTemplates,
    capabilities,
    permissionRequests,
    services,
    simulator,
    approvals,
    notifications,
    actionLinks,
    vault,
    llmUpstreams: overrides.llmUpstreams ?? LLM_UPSTREAMS,
    sessions: createSessionRepo(),
    async start() {
      await runMigrations(database);
      await invalidation.start();
      await events.start();
      await database.withAdvisoryLock("ah5:migrate", () => keys.ensureKeys(configuredKeys));
      if (overrides.jobs ?? true) {
        jobs = startJobs(database, logger, [
          { name: "audit-sealer", everyMs: 1000, run: () => sealAuditBacklog(database) },
          { name: "cleanup", everyMs: 5 * 60_000, run: () => cleanupOnce(database, clock.now()) },
          { name: "approval-expiry", everyMs: 15_000, run: () => approvals.expireDue() },
          { name: "device-flow-poller", everyMs: 1000, run: () => deviceFlows.pollDue() },
          {
            name: "audit-retention",
            everyMs: 3_600_000,
            run: () => purgeExpiredAudit(database, clock.now()),
          },
          { name: "reencrypt", everyMs: 30_000, run: () => reencryptBatch(database, encryptor, keyRing) },
          { name: "permission-request-expiry", everyMs: 60_000, run: () => permissionRequests.expireDue() },
          { name: "deliveries", everyMs: 2000, run: () => notifications.deliverDue() },
          { name: "notifications-purge", everyMs: 10 * 60_000, run: () => notifications.purge() },
        ]);
      }
    },
    /** Flushes the audit buffer, stops jobs and listening, closes the database. */
    async close() {
      await auditWriter.close();
      await jobs?.stop();
      await safeFetch.close();
      await events.stop();
      await invalidation.stop();
      await database.close();
    },
  };
}

const optional = <T>(value: T | undefined): T[] => (value === undefined ? [] : [value]);
