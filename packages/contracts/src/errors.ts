import { z } from "zod";

/**
 * Every error code the API can answer with, and its HTTP status (API.md §1.8). Clients branch on
 * `code` only; the `error` sentence is for people. New codes may be added within /v1.
 */
export const API_ERROR_STATUS = {
  // Generic
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  PRINCIPAL_NOT_ALLOWED: 403,
  SCOPE_MISSING: 403,
  CSRF_ORIGIN_MISMATCH: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  VERSION_MISMATCH: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  SERVICE_UNAVAILABLE: 503,
  // Agent authentication
  BOOTSTRAP_INVALID: 401,
  ASSERTION_INVALID: 401,
  ASSERTION_REPLAYED: 401,
  CLOCK_SKEW: 401,
  AGENT_DISABLED: 403,
  AGENT_NOT_ENROLLED: 409,
  // Vault, policy, approvals
  POLICY_DENIED: 403,
  NO_POLICY: 403,
  MODEL_NOT_ALLOWED: 403,
  HOST_NOT_ALLOWLISTED: 403,
  METHOD_NOT_ALLOWED_BY_POLICY: 403,
  PATH_NOT_ALLOWLISTED: 403,
  INVALID_URL: 400,
  INVALID_REQUEST: 400,
  RESPONSE_UNFILTERABLE: 502,
  OUTSIDE_TIME_WINDOW: 403,
  BUDGET_EXCEEDED: 429,
  APPROVAL_REQUIRED: 202,
  APPROVAL_NOT_FOUND: 404,
  APPROVAL_PENDING: 409,
  APPROVAL_DENIED: 403,
  APPROVAL_EXPIRED: 410,
  APPROVAL_MISMATCH: 409,
  APPROVAL_ALREADY_USED: 409,
  SSRF_BLOCKED: 403,
  CONNECTION_NEEDS_REAUTH: 409,
  CONNECTION_REVOKED: 409,
  CONNECTION_ERROR: 409,
  SCOPE_NOT_GRANTED: 403,
  PROVIDER_ERROR: 502,
  PROVIDER_UNAVAILABLE: 503,
  RESPONSE_TOO_LARGE: 502,
  // OAuth, connections, channels, members
  PROVIDER_NOT_CONFIGURED: 409,
  OAUTH_STATE_INVALID: 400,
  OAUTH_EXCHANGE_FAILED: 502,
  DEVICE_CODE_EXPIRED: 410,
  API_KEY_REJECTED: 422,
  CHANNEL_DELIVERY_FAILED: 502,
  ACTION_LINK_INVALID: 410,
  LAST_OWNER: 409,
  // CLI sign-in poll (API.md §3.7; RFC 8628 §3.5 error names, upper-cased; details.error has the RFC name)
  AUTHORIZATION_PENDING: 400,
  SLOW_DOWN: 400,
  EXPIRED_TOKEN: 400,
  ACCESS_DENIED: 400,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;
export const API_ERROR_CODES = Object.keys(API_ERROR_STATUS) as ApiErrorCode[];
export const ApiErrorCodeSchema = z.enum(API_ERROR_CODES as [ApiErrorCode, ...ApiErrorCode[]]);

export function statusForCode(code: ApiErrorCode): number {
  return API_ERROR_STATUS[code];
}

/** Statuses on which API.md §1.7 requires a `hint`. */
export const HINT_REQUIRED_STATUSES: readonly number[] = [401, 403, 409, 422, 429];

export const ValidationIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
  code: z.string(),
});
export type ValidationIssue = z.infer<typeof ValidationIssueSchema>;

/** The one error wire shape (API.md §1.7). */
export const ApiErrorBodySchema = z.object({
  error: z.string(),
  code: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
  requestId: z.string(),
});
export type ApiErrorBody = Omit<z.infer<typeof ApiErrorBodySchema>, "code"> & { code: ApiErrorCode };

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return ApiErrorBodySchema.safeParse(value).success;
}
