import { z } from "zod";
import { pageSchema } from "./pagination.js";
import { ScopeSchema } from "./scopes.js";

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const AGENT_STATUSES = ["created", "active", "disabled"] as const;
export const AgentStatusSchema = z.enum(AGENT_STATUSES);
export type AgentStatus = z.infer<typeof AgentStatusSchema>;

export const AgentSchema = z.object({
  id: uuid,
  name: z.string(),
  description: z.string(),
  iconUrl: z.string().nullable(),
  status: AgentStatusSchema,
  keyThumbprint: z.string().nullable(),
  keyAlg: z.string().nullable(),
  enrolledAt: z.string().nullable(),
  lastSeenAt: z.string().nullable(),
  createdBy: uuid.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Agent = z.infer<typeof AgentSchema>;
export const AgentDetailSchema = AgentSchema.extend({
  activeTokenCount: z.number().int(),
  policyCount: z.number().int(),
});
export const AgentListSchema = pageSchema(AgentSchema);
export const AgentListQuerySchema = z.strictObject({
  status: AgentStatusSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(1024).optional(),
});

/** An https image URL, shown next to the agent in the dashboard (never fetched by the API). */
const IconUrlSchema = z.url({ protocol: /^https$/, error: "iconUrl must be an https URL" }).max(2048);
export const CreateAgentRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().max(500).optional(),
  iconUrl: IconUrlSchema.optional(),
});
export const UpdateAgentRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().max(500).optional(),
  iconUrl: IconUrlSchema.nullable().optional(),
});

export const BootstrapSecretResponseSchema = z.object({
  bootstrapSecret: z.string(),
  expiresAt: z.string(),
  bootstrapUrl: z.string(),
});

/**
 * The agent's public key: EC P-256 (ES256) or OKP Ed25519 (EdDSA), public members only. A `d`
 * (or any other member) is refused: the request never carries a private key.
 */
const b64url = z.string().regex(/^[A-Za-z0-9_-]+$/, "must be base64url");
export const AgentPublicJwkSchema = z.union([
  z.strictObject({
    kty: z.literal("EC"),
    crv: z.literal("P-256"),
    x: b64url.length(43),
    y: b64url.length(43),
    alg: z.literal("ES256").optional(),
    kid: z.string().max(128).optional(),
    use: z.literal("sig").optional(),
  }),
  z.strictObject({
    kty: z.literal("OKP"),
    crv: z.literal("Ed25519"),
    x: b64url.length(43),
    alg: z.literal("EdDSA").optional(),
    kid: z.string().max(128).optional(),
    use: z.literal("sig").optional(),
  }),
]);
export type AgentPublicJwk = z.infer<typeof AgentPublicJwkSchema>;

export const AgentBootstrapRequestSchema = z.strictObject({
  bootstrapSecret: z.string().min(1).max(200),
  publicKey: AgentPublicJwkSchema,
});
export const AgentBootstrapResponseSchema = z.object({
  agentId: uuid,
  workspaceId: uuid,
  status: z.literal("active"),
  keyThumbprint: z.string(),
  tokenEndpoint: z.string(),
  assertion: z.object({
    audience: z.string(),
    maxLifetimeSeconds: z.number().int(),
    algs: z.array(z.string()),
  }),
});

export const CLIENT_ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/** RFC 7523 client authentication (JSON or form-encoded; OAuth field names). */
export const AgentTokenRequestSchema = z.strictObject({
  grant_type: z.enum(["client_credentials", "client_assertion"]),
  client_assertion_type: z.literal(CLIENT_ASSERTION_TYPE),
  client_assertion: z.string().min(1).max(8192),
});
export const AgentTokenResponseSchema = z.object({
  access_token: z.string(),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int(),
  scope: z.string(),
});

export const AgentMeSchema = z.object({
  agentId: uuid,
  workspaceId: uuid,
  name: z.string(),
  status: AgentStatusSchema,
  keyThumbprint: z.string().nullable(),
  tokenExpiresAt: z.string(),
});

export const PersonalAccessTokenSchema = z.object({
  id: uuid,
  name: z.string(),
  scopes: z.array(ScopeSchema),
  workspaceId: uuid,
  lastFour: z.string(),
  expiresAt: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type PersonalAccessToken = z.infer<typeof PersonalAccessTokenSchema>;
export const PersonalAccessTokenListSchema = pageSchema(PersonalAccessTokenSchema);
export const CreatePersonalAccessTokenRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(ScopeSchema).min(1),
  expiresInDays: z.number().int().min(1).max(90),
});
export const CreatePersonalAccessTokenResponseSchema = z.object({
  token: z.string(),
  pat: PersonalAccessTokenSchema,
});
export const UpdatePersonalAccessTokenRequestSchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
});

export const AgentConnectionSchema = z.object({
  connectionId: uuid,
  provider: z.string(),
  service: z.string(),
  label: z.string(),
  status: z.string(),
  allowedModels: z.array(z.enum(["A", "B"])),
  policyId: uuid,
  policyVersion: z.number().int(),
});
export const AgentConnectionListSchema = pageSchema(AgentConnectionSchema);
