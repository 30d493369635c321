import * as oauth from "oauth4webapi";
import {
  isOAuthConnectorError,
  OAuthConnectorError,
  type OAuthConnectorErrorCode,
  type OAuthOperation,
} from "./errors.js";

const REAUTH = new Set(["invalid_grant", "invalid_token"]);
const DENIED = new Set(["access_denied", "consent_required", "login_required", "interaction_required"]);
const OUR_FAULT = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "invalid_scope",
  "unsupported_grant_type",
  "unsupported_response_type",
  "unsupported_token_type",
]);
const TRANSIENT = new Set(["server_error", "temporarily_unavailable"]);

const REASONS: Record<OAuthConnectorErrorCode, string> = {
  ERR_PROVIDER_INVALID_GRANT: "the provider no longer accepts this grant; the user must reconnect",
  ERR_PROVIDER_UNAVAILABLE: "the provider is unavailable; retry later",
  ERR_PROVIDER_ACCESS_DENIED: "the user or the provider denied access",
  ERR_PROVIDER_INVALID_RESPONSE: "the provider's answer is invalid",
  ERR_STATE_MISMATCH: "the callback state does not match this flow",
  ERR_PROVIDER_NOT_SUPPORTED: "the provider does not support this operation",
  ERR_PROVIDER_MISCONFIGURED: "the provider rejected our client configuration",
  ERR_ORIGIN_NOT_ALLOWED: "the URL is not on an origin of this provider",
};

/** The one way this package builds an error: a fixed sentence, never provider text. */
export function connectorError(
  code: OAuthConnectorErrorCode,
  operation: OAuthOperation,
  extra: { providerError?: string; status?: number; reason?: string } = {},
): OAuthConnectorError {
  const reason = extra.reason ?? REASONS[code];
  return new OAuthConnectorError(code, `${operation} failed: ${reason}`, {
    operation,
    providerError: extra.providerError,
    status: extra.status,
  });
}

/** Classifies an OAuth error code (after the provider's aliases) into one of ours. */
export function classifyOAuthError(
  providerError: string,
  status: number | undefined,
): OAuthConnectorErrorCode {
  if (REAUTH.has(providerError)) return "ERR_PROVIDER_INVALID_GRANT";
  if (DENIED.has(providerError)) return "ERR_PROVIDER_ACCESS_DENIED";
  if (OUR_FAULT.has(providerError)) return "ERR_PROVIDER_MISCONFIGURED";
  if (TRANSIENT.has(providerError)) return "ERR_PROVIDER_UNAVAILABLE";
  return isTransientStatus(status) ? "ERR_PROVIDER_UNAVAILABLE" : "ERR_PROVIDER_INVALID_RESPONSE";
}

export function isTransientStatus(status: number | undefined): boolean {
  return status !== undefined && (status >= 500 || status === 429 || status === 408);
}

/**
 * Maps anything oauth4webapi (or the transport) throws to an OAuthConnectorError. Nothing of the
 * original error is kept: its message, `cause` and `response` can hold tokens or codes.
 */
export function toConnectorError(
  error: unknown,
  operation: OAuthOperation,
  aliases: Readonly<Record<string, string>> = {},
): OAuthConnectorError {
  if (isOAuthConnectorError(error)) return error;
  const fromCode = (raw: string, status?: number) => {
    const providerError = aliases[raw] ?? raw;
    return connectorError(classifyOAuthError(providerError, status), operation, { providerError, status });
  };
  if (error instanceof oauth.ResponseBodyError) return fromCode(error.error, error.status);
  if (error instanceof oauth.AuthorizationResponseError) return fromCode(error.error);
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    const challenged = error.cause.find((challenge) => typeof challenge.parameters.error === "string");
    const code = challenged?.parameters.error ?? (error.status === 401 ? "invalid_token" : "server_error");
    return fromCode(code, error.status);
  }
  if (error instanceof oauth.OperationProcessingError) {
    if (error.code === oauth.HTTP_REQUEST_FORBIDDEN || error.code === oauth.REQUEST_PROTOCOL_FORBIDDEN) {
      return connectorError("ERR_PROVIDER_MISCONFIGURED", operation, {
        reason: "plain http endpoints are refused (allowInsecureHttp is for tests only)",
      });
    }
    const status = error.cause instanceof Response ? error.cause.status : undefined;
    const code = isTransientStatus(status) ? "ERR_PROVIDER_UNAVAILABLE" : "ERR_PROVIDER_INVALID_RESPONSE";
    return connectorError(code, operation, { status });
  }
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return connectorError("ERR_PROVIDER_UNAVAILABLE", operation);
  }
  if (error instanceof TypeError && /^ERR_INVALID_ARG/.test(String((error as { code?: unknown }).code))) {
    return connectorError("ERR_PROVIDER_MISCONFIGURED", operation, {
      reason: "the provider metadata or client configuration is incomplete",
    });
  }
  return connectorError("ERR_PROVIDER_INVALID_RESPONSE", operation);
}
