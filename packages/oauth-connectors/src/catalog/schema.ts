import { z } from "zod";
import { checkProviderConsistency } from "./consistency.js";
import { isEndpointUrl, isHttpsOrigin } from "./urls.js";

/** How a connection was made; mirrors `t_connections.auth_type`. */
export const AuthTypeSchema = z.enum(["oauth", "device", "api_key", "bot_token"]);
export type AuthType = z.infer<typeof AuthTypeSchema>;

/**
 * What the provider can do, as the API needs to know it before calling: whether to send PKCE,
 * offer a device flow, schedule refreshes, revoke on delete, expect a rotated refresh token,
 * mint narrowed Model A tokens on refresh, and whether access tokens expire.
 */
export const ProviderCapabilitiesSchema = z.strictObject({
  pkce: z.boolean(),
  deviceFlow: z.boolean(),
  refresh: z.boolean(),
  revoke: z.boolean(),
  refreshTokenRotation: z.boolean(),
  scopeNarrowing: z.boolean(),
  issuesShortLivedTokens: z.boolean(),
});
export type ProviderCapabilities = z.infer<typeof ProviderCapabilitiesSchema>;

const EndpointUrl = z.string().refine(isEndpointUrl, "must be an https URL (http only on a loopback host)");
const HttpsOrigin = z.string().refine(isHttpsOrigin, "must be an https origin without a path");
const Scope = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, "not a valid OAuth scope token");
const HeaderName = z
  .string()
  .regex(/^[a-z0-9-]+$/, "header names are lower-case tokens")
  .refine((name) => !["host", "cookie", "content-length", "transfer-encoding"].includes(name));
const FieldPath = z.string().regex(/^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$/, "dot path into a JSON answer");
/** One path or candidates in order (the first present, non-empty value wins). */
const FieldPaths = z
  .union([FieldPath, z.array(FieldPath).min(1)])
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** Where the account id, email and display name sit in a JSON answer. */
const FieldMapSchema = z.strictObject({
  id: FieldPaths,
  email: FieldPaths.optional(),
  name: FieldPaths.optional(),
});
export type FieldMap = z.infer<typeof FieldMapSchema>;

/** A bearer-authenticated identity request; without `url`, the OIDC userinfo endpoint. */
const ProfileRequestSchema = z.strictObject({
  url: EndpointUrl.optional(),
  method: z.enum(["GET", "POST"]).default("GET"),
  headers: z.record(HeaderName, z.string()).default({}),
  /** JSON boolean that must be true (Slack answers HTTP 200 with `ok: false`). */
  successPath: FieldPath.optional(),
  fields: FieldMapSchema.prefault({ id: "sub", email: "email", name: "name" }),
});

/**
 * Where the account identity comes from after a token grant. ID token claims (`sub`, `email`,
 * `name`) are always used when an ID token came back; then the token response fields; then the
 * profile request if something is still missing.
 */
const IdentitySchema = z.strictObject({
  tokenResponse: FieldMapSchema.optional(),
  profile: ProfileRequestSchema.optional(),
});

const StaticEndpointsSchema = z.strictObject({
  /** Issuer identifier compared with RFC 9207 `iss` and ID token `iss`; never fetched. */
  issuer: z.string().min(1).optional(),
  authorization: EndpointUrl.optional(),
  token: EndpointUrl,
  revocation: EndpointUrl.optional(),
  deviceAuthorization: EndpointUrl.optional(),
  userinfo: EndpointUrl.optional(),
});

const OAuthConfigSchema = z.strictObject({
  /** OIDC Discovery (`oidc`) or RFC 8414 (`oauth2`) from this issuer; or static `endpoints`. */
  discovery: z
    .strictObject({ issuer: EndpointUrl, algorithm: z.enum(["oidc", "oauth2"]).default("oidc") })
    .optional(),
  endpoints: StaticEndpointsSchema.optional(),
  /** Endpoints containing `{tenant}` take the client's tenantId, else this default. */
  tenant: z.strictObject({ default: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/) }).optional(),
  clientAuth: z.enum(["client_secret_basic", "client_secret_post", "none"]).default("client_secret_basic"),
  scopeSeparator: z.enum([" ", ","]).default(" "),
  /** Always requested on top of the service scopes (openid, offline_access…). */
  baseScopes: z.array(Scope).default([]),
  /** Fixed extra authorization parameters (Google's access_type=offline, Atlassian's audience). */
  authorizationParams: z.record(z.string(), z.string()).default({}),
  /** token_type values accepted besides bearer (Slack answers `bot`). */
  tokenTypes: z.array(z.string().regex(/^[a-z_]+$/)).default([]),
  /** Provider-specific OAuth error codes and the standard one they mean. */
  errorAliases: z.record(z.string(), z.string()).default({}),
  quirks: z
    .strictObject({
      /** GitHub and Slack answer token-endpoint errors with HTTP 200 and an `error` field. */
      errorsWithStatus200: z.boolean().default(false),
      /** Notion's token endpoint takes a JSON body. */
      jsonTokenRequest: z.boolean().default(false),
    })
    .prefault({}),
  identity: IdentitySchema.prefault({}),
});
export type OAuthConfig = z.infer<typeof OAuthConfigSchema>;

/**
 * How a stored credential goes into a provider request. Header values are templates with
 * `{secret}` and `{extra.<field>}`; `scheme` is shorthand for the template `<scheme> {secret}`.
 * `in: "path"` puts the secret in the path (Telegram's `/bot<token>/method`).
 */
const CredentialInjectionSchema = z.discriminatedUnion("in", [
  z.strictObject({
    in: z.literal("header"),
    name: HeaderName,
    scheme: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9-]*$/)
      .optional(),
    template: z.string().includes("{secret}").optional(),
    /** The connection's `extra.headerName` / `extra.scheme` may override (generic keys only). */
    configurable: z.boolean().default(false),
  }),
  z.strictObject({ in: z.literal("path"), prefix: z.string().regex(/^\/[A-Za-z0-9_-]*\{secret\}$/) }),
]);
export type CredentialInjection = z.infer<typeof CredentialInjectionSchema>;

/** A cheap authenticated request proving a pasted key works, sent with the injection above. */
const VerificationSchema = z.strictObject({
  method: z.enum(["GET", "POST"]),
  url: EndpointUrl,
  headers: z.record(HeaderName, z.string()).default({}),
  successPath: FieldPath.optional(),
  accountId: FieldPaths.optional(),
  label: FieldPaths.optional(),
});
export type VerificationRequest = z.infer<typeof VerificationSchema>;

const ServiceSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)+$/, "service ids look like `google-gmail`"),
  label: z.string().min(1),
  defaultScopes: z.array(Scope),
  allowedScopes: z.array(Scope),
  /** The https origins a Model B request through this service may reach. */
  apiOrigins: z.array(HttpsOrigin),
});
export type ServiceDefinition = z.infer<typeof ServiceSchema>;

/** Provider-specific, non-secret values a user enters with a key (API.md `extra`). */
const ExtraFieldSchema = z.strictObject({
  name: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
  label: z.string().min(1),
  required: z.boolean(),
});

const ProviderObjectSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/),
  label: z.string().min(1),
  authTypes: z.array(AuthTypeSchema).min(1),
  capabilities: ProviderCapabilitiesSchema,
  oauth: OAuthConfigSchema.optional(),
  services: z.array(ServiceSchema).min(1),
  injection: CredentialInjectionSchema,
  verification: VerificationSchema.optional(),
  extraFields: z.array(ExtraFieldSchema).default([]),
  /** The API origin is the connection's `extra.origin` (generic keys), not a catalog constant. */
  customOrigin: z.boolean().default(false),
});

/** A validated provider: what `getProvider` returns and `createOAuthConnector` takes. */
export type ProviderDefinition = z.infer<typeof ProviderObjectSchema>;
/** What catalog files (and callers defining a provider at runtime) write before validation. */
export type ProviderDefinitionInput = z.input<typeof ProviderObjectSchema>;

/** Shape plus the cross-field rules of `consistency.ts`; every catalog entry passes it at load. */
export const ProviderDefinitionSchema = ProviderObjectSchema.superRefine(checkProviderConsistency);
