/** Stable codes: callers branch on these, never on messages. */
export type OAuthConnectorErrorCode =
  /** The grant is gone (invalid_grant, revoked or expired refresh token): a human must reconnect. */
  | "ERR_PROVIDER_INVALID_GRANT"
  /** Network error, timeout, 5xx, 429, server_error: retry later; the stored credential is intact. */
  | "ERR_PROVIDER_UNAVAILABLE"
  /** The user (or an admin policy at the provider) refused the authorization. */
  | "ERR_PROVIDER_ACCESS_DENIED"
  /** The provider answered something we cannot trust or parse (bad iss, bad id token, no token). */
  | "ERR_PROVIDER_INVALID_RESPONSE"
  /** The callback's `state` is missing or is not the one this flow issued. */
  | "ERR_STATE_MISMATCH"
  /** The provider (or its metadata) lacks the operation, e.g. device flow. */
  | "ERR_PROVIDER_NOT_SUPPORTED"
  /** Our side is wrong: invalid_client, unauthorized_client, a bad tenant, http without opt-in. */
  | "ERR_PROVIDER_MISCONFIGURED"
  /** A credential was about to be sent to an origin its provider does not own. */
  | "ERR_ORIGIN_NOT_ALLOWED";

const CODES: ReadonlySet<string> = new Set<OAuthConnectorErrorCode>([
  "ERR_PROVIDER_INVALID_GRANT",
  "ERR_PROVIDER_UNAVAILABLE",
  "ERR_PROVIDER_ACCESS_DENIED",
  "ERR_PROVIDER_INVALID_RESPONSE",
  "ERR_STATE_MISMATCH",
  "ERR_PROVIDER_NOT_SUPPORTED",
  "ERR_PROVIDER_MISCONFIGURED",
  "ERR_ORIGIN_NOT_ALLOWED",
]);

/** Which call failed; lets the API pick its own error (OAUTH_EXCHANGE_FAILED, needs_reauth…). */
export type OAuthOperation =
  | "discovery"
  | "authorization"
  | "code_exchange"
  | "refresh"
  | "revoke"
  | "device_authorization"
  | "device_poll"
  | "userinfo"
  | "inject";

export interface OAuthConnectorErrorDetails {
  operation: OAuthOperation;
  /** The provider's OAuth error code (`invalid_grant`…), only when it is a plain ASCII token. */
  providerError?: string;
  /** HTTP status of the provider's answer, when there was one. */
  status?: number;
}

// Real OAuth error codes (RFC 6749, 8628, Slack, GitHub) are lower-case words joined by "_".
// Anything else is dropped so a hostile or buggy provider cannot smuggle text, or an echoed
// token (mixed case, digits), into our logs through this field.
const SAFE_PROVIDER_ERROR = /^[a-z][a-z_]{0,63}$/;

/**
 * What the connectors throw. Messages are fixed sentences built from the operation and the code:
 * they never contain tokens, secrets, authorization codes, `error_description` text or URLs
 * with query strings, and the error never carries a `cause` (oauth4webapi's errors hold the
 * response body, which can contain tokens).
 */
export class OAuthConnectorError extends Error {
  readonly operation: OAuthOperation;
  readonly providerError?: string;
  readonly status?: number;

  constructor(
    readonly code: OAuthConnectorErrorCode,
    message: string,
    details: OAuthConnectorErrorDetails,
  ) {
    super(message);
    this.name = "OAuthConnectorError";
    this.operation = details.operation;
    if (details.providerError !== undefined && SAFE_PROVIDER_ERROR.test(details.providerError)) {
      this.providerError = details.providerError;
    }
    if (details.status !== undefined) this.status = details.status;
  }
}

/**
 * Also recognises errors from another copy of this package (the workspace can load both the
 * TypeScript sources and the built `dist`), where `instanceof` alone would say no.
 */
export function isOAuthConnectorError(value: unknown): value is OAuthConnectorError {
  if (value instanceof OAuthConnectorError) return true;
  return (
    value instanceof Error &&
    value.name === "OAuthConnectorError" &&
    CODES.has((value as { code?: unknown }).code as string)
  );
}
