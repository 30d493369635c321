import { z } from "zod";
import type { SessionId, UserId, WorkspaceId } from "./ids.js";
import { type Scope, ScopeSchema, type WorkspaceRole, WorkspaceRoleSchema } from "./scopes.js";

/** `iss` and `aud` of the internal API JWT (the seed's token model; API.md §2.2). */
export const API_JWT_DEFAULT_ISSUER = "web";
export const API_JWT_AUDIENCE = "api";
export const API_JWT_TTL_SECONDS = 300;
export const API_JWT_ALG = "ES256";

/** Claims of the 5-minute internal API JWT that the dashboard presents on /v1/*. */
export interface ApiAccessClaims {
  sub: UserId;
  wid: WorkspaceId;
  roles: WorkspaceRole[];
  scp: Scope[];
  sid: SessionId;
  jti: string;
  iss: string;
  aud: string;
  exp: number;
  iat: number;
}

const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

/** Shape check run after signature verification; a token that fails it is UNAUTHENTICATED. */
export const ApiAccessClaimsSchema = z.object({
  sub: uuid,
  wid: uuid,
  roles: z.array(WorkspaceRoleSchema).min(1),
  scp: z.array(ScopeSchema),
  sid: z.string().min(1),
  jti: z.string().min(1),
  iss: z.string().min(1),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number().int(),
  iat: z.number().int(),
});

export const TokenExchangeRequestSchema = z.strictObject({ workspaceId: uuid.optional() });
export type TokenExchangeRequest = z.infer<typeof TokenExchangeRequestSchema>;

export const TokenExchangeResponseSchema = z.object({
  accessToken: z.string(),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int(),
  workspaceId: uuid,
  roles: z.array(WorkspaceRoleSchema),
  scopes: z.array(ScopeSchema),
});
export type TokenExchangeResponse = z.infer<typeof TokenExchangeResponseSchema>;

export const JwkPublicSchema = z.object({
  kty: z.string(),
  crv: z.string().optional(),
  x: z.string().optional(),
  y: z.string().optional(),
  kid: z.string(),
  alg: z.string(),
  use: z.literal("sig"),
});
export const JwksResponseSchema = z.object({ keys: z.array(JwkPublicSchema) });
export type JwksResponse = z.infer<typeof JwksResponseSchema>;
