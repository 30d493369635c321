import { z } from "zod";
import { pageSchema } from "./pagination.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const CONNECTION_STATUSES = ["active", "needs_reauth", "revoked", "error"] as const;
export const ConnectionStatusSchema = z.enum(CONNECTION_STATUSES);
export const CONNECTION_AUTH_TYPES = ["oauth", "device", "api_key", "bot_token"] as const;

/** A connection as every client sees it: never a secret, a masked secret or a refresh token. */
export const ConnectionSchema = z.object({
  id: uuid,
  provider: z.string(),
  service: z.string(),
  label: z.string(),
  status: ConnectionStatusSchema,
  authType: z.enum(CONNECTION_AUTH_TYPES),
  accountId: z.string(),
  grantedScopes: z.array(z.string()),
  oauthAppId: uuid.nullable(),
  statusReason: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  lastRefreshedAt: z.string().nullable(),
  createdBy: uuid.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Connection = z.infer<typeof ConnectionSchema>;
export const ConnectionListSchema = pageSchema(ConnectionSchema);
export const ConnectionListQuerySchema = z.strictObject({
  provider: z.string().max(64).optional(),
  status: ConnectionStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "must be a lowercase catalog id");
export const CreateApiKeyConnectionRequestSchema = z.strictObject({
  provider: slug,
  service: slug.optional(),
  label: z.string().trim().min(1).max(100).optional(),
  secret: z.string().min(1).max(4096),
  extra: z.record(z.string(), z.string().max(2048)).optional(),
});
export const UpdateConnectionRequestSchema = z.strictObject({ label: z.string().trim().min(1).max(100) });

/** `POST /v1/connections/device/start` (API.md §3.2). */
export const DeviceStartRequestSchema = z.strictObject({
  provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  oauthAppId: z.string().uuid().optional(),
  label: z.string().trim().min(1).max(100).optional(),
  scopes: z.array(z.string().min(1).max(200)).max(50).optional(),
});
export const DeviceStartResponseSchema = z.object({
  deviceFlowId: z.string(),
  userCode: z.string(),
  verificationUri: z.string(),
  verificationUriComplete: z.string().optional(),
  expiresAt: z.string(),
  interval: z.number().int(),
});
export const DeviceStatusSchema = z.object({
  status: z.enum(["pending", "complete", "denied", "expired"]),
  connectionId: z.string().optional(),
  error: z.string().optional(),
});

/** `POST /v1/connections/{id}/reconnect`: a new key, or (OAuth) optional scopes. */
export const ReconnectRequestSchema = z.union([
  z.strictObject({
    secret: z.string().min(1).max(8192),
    extra: z.record(z.string(), z.string().max(2048)).optional(),
  }),
  z.strictObject({ scopes: z.array(z.string().min(1).max(200)).max(50).optional() }),
]);
export const OAuthStartResponseSchema = z.object({
  authorizationUrl: z.string(),
  pendingConnectionId: z.string(),
  expiresAt: z.string(),
});
export const ConnectionProbeSchema = z.object({
  ok: z.boolean(),
  status: ConnectionStatusSchema,
  checkedAt: z.string(),
  accountId: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

/** A workspace's own OAuth client (API.md §3.3); `clientSecret` is write-only. */
export const OAuthAppSchema = z.object({
  id: z.string(),
  provider: z.string(),
  label: z.string(),
  clientId: z.string(),
  tenantId: z.string().nullable(),
  redirectUri: z.string(),
  version: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const OAuthAppListSchema = z.object({
  items: z.array(OAuthAppSchema),
  nextCursor: z.string().nullable(),
  platformProviders: z.array(z.string()),
});
export const CreateOAuthAppRequestSchema = z.strictObject({
  provider: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  label: z.string().trim().min(1).max(100),
  clientId: z.string().trim().min(1).max(512),
  clientSecret: z.string().min(1).max(4096),
  tenantId: z.string().trim().min(1).max(200).optional(),
});
export const UpdateOAuthAppRequestSchema = z
  .strictObject({
    label: z.string().trim().min(1).max(100).optional(),
    clientId: z.string().trim().min(1).max(512).optional(),
    clientSecret: z.string().min(1).max(4096).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "change at least one field" });
