import type { EncryptedEnvelopeV1 } from "@agenthifive/security";
import { sql } from "drizzle-orm";
import {
  type AnyPgColumn,
  check,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./auth.js";
import { bytea, instant, stamps } from "./columns.js";
import { workspaceIdColumn } from "./tenancy.js";

/** Bring-your-own OAuth client per provider (DATA-MODEL.md §2.3). */
export const workspaceOAuthApps = pgTable(
  "t_workspace_oauth_apps",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    provider: text("provider").notNull(),
    label: text("label").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretEnvelope: jsonb("client_secret_envelope").$type<EncryptedEnvelopeV1>().notNull(),
    tenantId: text("tenant_id"),
    version: integer("version").notNull().default(1),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_workspace_oauth_apps__workspace_id__id").on(t.workspaceId, t.id),
    unique("uq_t_workspace_oauth_apps__workspace_id__provider__client_id").on(
      t.workspaceId,
      t.provider,
      t.clientId,
    ),
  ],
);

export const connectionAuthType = pgEnum("connection_auth_type", ["oauth", "device", "api_key", "bot_token"]);
export const connectionStatus = pgEnum("connection_status", ["active", "needs_reauth", "revoked", "error"]);

/** One provider account and its encrypted credential. */
export const connections = pgTable(
  "t_connections",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    provider: text("provider").notNull(),
    service: text("service").notNull(),
    authType: connectionAuthType("auth_type").notNull(),
    label: text("label").notNull(),
    providerAccountId: text("provider_account_id").notNull(),
    accountEmail: text("account_email"),
    accountDisplayName: text("account_display_name"),
    scopes: text("scopes").array().notNull().default(sql`'{}'::text[]`),
    status: connectionStatus("status").notNull().default("active"),
    credentialEnvelope: jsonb("credential_envelope").$type<EncryptedEnvelopeV1>(),
    accessExpiresAt: instant("access_expires_at"),
    refreshExpiresAt: instant("refresh_expires_at"),
    oauthAppId: uuid("oauth_app_id"),
    lastRefreshAt: instant("last_refresh_at"),
    refreshLockVersion: integer("refresh_lock_version").notNull().default(0),
    refreshFailures: smallint("refresh_failures").notNull().default(0),
    lastErrorCode: text("last_error_code"),
    metadata: jsonb("metadata").$type<Record<string, unknown>>().notNull().default({}),
    lastUsedAt: instant("last_used_at"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: instant("revoked_at"),
    ...stamps(),
  },
  (t) => [
    unique("uq_t_connections__workspace_id__id").on(t.workspaceId, t.id),
    uniqueIndex("uq_t_connections__workspace_id__lower_label_live")
      .on(t.workspaceId, sql`lower(${t.label})`)
      .where(sql`${t.status} <> 'revoked'`),
    uniqueIndex("uq_t_connections__account")
      .on(t.workspaceId, t.provider, t.providerAccountId, t.service)
      .where(sql`${t.status} <> 'revoked'`),
    index("ix_t_connections__workspace_id__status__provider").on(t.workspaceId, t.status, t.provider),
    foreignKey({
      name: "fk_t_connections__oauth_app_id",
      columns: [t.workspaceId, t.oauthAppId],
      foreignColumns: [workspaceOAuthApps.workspaceId, workspaceOAuthApps.id],
    }).onDelete("restrict"),
  ],
);

export const pendingFlow = pgEnum("pending_flow", ["auth_code", "device"]);
export const pendingStatus = pgEnum("pending_status", ["pending", "complete", "denied", "expired", "error"]);

/** In-flight OAuth auth-code (+PKCE) or RFC 8628 device flows; single use. */
export const pendingConnections = pgTable(
  "t_pending_connections",
  {
    id: uuid("id").primaryKey(),
    workspaceId: workspaceIdColumn(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    flow: pendingFlow("flow").notNull(),
    provider: text("provider").notNull(),
    service: text("service").notNull(),
    label: text("label"),
    requestedScopes: text("requested_scopes").array().notNull().default(sql`'{}'::text[]`),
    oauthAppId: uuid("oauth_app_id"),
    reconnectConnectionId: uuid("reconnect_connection_id").references((): AnyPgColumn => connections.id, {
      onDelete: "set null",
    }),
    stateHash: bytea("state_hash").unique("uq_t_pending_connections__state_hash"),
    pkceVerifierEnvelope: jsonb("pkce_verifier_envelope").$type<EncryptedEnvelopeV1>(),
    nonce: text("nonce"),
    redirectUri: text("redirect_uri"),
    returnTo: text("return_to"),
    deviceCodeEnvelope: jsonb("device_code_envelope").$type<EncryptedEnvelopeV1>(),
    userCode: text("user_code"),
    verificationUri: text("verification_uri"),
    pollIntervalS: smallint("poll_interval_s"),
    nextPollAt: instant("next_poll_at"),
    status: pendingStatus("status").notNull().default("pending"),
    expiresAt: instant("expires_at").notNull(),
    consumedAt: instant("consumed_at"),
    resultConnectionId: uuid("result_connection_id").references((): AnyPgColumn => connections.id, {
      onDelete: "set null",
    }),
    ...stamps(),
  },
  (t) => [
    check(
      "ck_t_pending_connections__flow_fields",
      sql`(${t.flow} <> 'auth_code' OR (${t.stateHash} IS NOT NULL AND ${t.pkceVerifierEnvelope} IS NOT NULL))
        AND (${t.flow} <> 'device' OR (${t.deviceCodeEnvelope} IS NOT NULL AND ${t.pollIntervalS} IS NOT NULL))`,
    ),
    index("ix_t_pending_connections__workspace_id__user_id__created_at").on(
      t.workspaceId,
      t.userId,
      t.createdAt,
    ),
    index("ix_t_pending_connections__next_poll_at__device")
      .on(t.nextPollAt)
      .where(sql`${t.flow} = 'device' AND ${t.status} = 'pending'`),
    foreignKey({
      name: "fk_t_pending_connections__oauth_app_id",
      columns: [t.workspaceId, t.oauthAppId],
      foreignColumns: [workspaceOAuthApps.workspaceId, workspaceOAuthApps.id],
    }).onDelete("restrict"),
  ],
);
