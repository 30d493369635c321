import { AppError } from "../errors.js";

/**
 * The errors of the fetch guard. Messages and details name a host at most: never a path (a
 * Telegram bot token or a Slack webhook key lives there), a query string, a header value or a
 * body (API.md S13).
 */

export const SSRF_HINT =
  "Use the provider's public https host name; private, loopback, link-local and metadata addresses are never reachable.";
const RETRY_HINT = "The provider did not answer; retry in a few seconds.";
const PROVIDER_HINT = "The provider's answer could not be used; retry later or check the provider's status.";

/** The host of a URL: the most any message or detail may show of an outbound URL. */
export function describeTarget(url: URL): string {
  return url.host;
}

export function ssrfBlocked(message: string, details: Record<string, unknown>): AppError {
  return new AppError("SSRF_BLOCKED", message, { hint: SSRF_HINT, details });
}

export function invalidUrl(message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError("INVALID_URL", message, {
    hint: "Send an absolute https URL without user:password@.",
    details,
  });
}

export function providerUnavailable(message: string, details: Record<string, unknown>): AppError {
  return new AppError("PROVIDER_UNAVAILABLE", message, {
    hint: RETRY_HINT,
    details,
    headers: { "retry-after": "5" },
  });
}

export function providerError(message: string, details: Record<string, unknown>): AppError {
  return new AppError("PROVIDER_ERROR", message, { hint: PROVIDER_HINT, details });
}

export function responseTooLarge(target: string, limit: number): AppError {
  return new AppError("RESPONSE_TOO_LARGE", `The response of ${target} is larger than ${limit} bytes.`, {
    hint: "Ask for less data, or use download: true for large bodies.",
    details: { limit },
  });
}

const TIMEOUT_CODES = new Set([
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CONNECT_TIMEOUT",
  "ETIMEDOUT",
]);

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EADDRNOTAVAIL",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CLOSED",
]);

function errorCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") return code;
  // net's autoSelectFamily reports several failed attempts as one AggregateError.
  const errors = (err as { errors?: unknown }).errors;
  if (Array.isArray(errors)) return errorCode(errors[0]);
  return undefined;
}

function isAbort(err: unknown): boolean {
  return err instanceof Error && (err.name === "AbortError" || errorCode(err) === "UND_ERR_ABORTED");
}

/**
 * Our error for a failure of the outbound call to `url`: guard and caller errors (`AppError`) and
 * the caller's own abort pass through unchanged; timeouts and connection failures become
 * `PROVIDER_UNAVAILABLE` (503, `Retry-After`); anything else (TLS, an unparsable response)
 * `PROVIDER_ERROR` (502).
 */
export function toTransportError(err: unknown, url: URL, signal?: AbortSignal | null): unknown {
  if (err instanceof AppError) return err;
  if (signal?.aborted && isAbort(err)) return err;
  const target = describeTarget(url);
  const code = errorCode(err);
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return providerUnavailable(`The provider at ${target} did not answer in time.`, {
      reason: "timeout",
      cause: code,
    });
  }
  if (code !== undefined && CONNECTION_CODES.has(code)) {
    return providerUnavailable(`The connection to ${url.host} failed.`, {
      reason: "connection_failed",
      cause: code,
    });
  }
  if (code !== undefined && /^(ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED)/.test(code)) {
    return providerError(`The TLS handshake with ${url.host} failed.`, { reason: "tls", cause: code });
  }
  if (isAbort(err)) return err;
  return providerError(`The call to ${target} failed.`, {
    reason: code?.startsWith("HPE_") ? "invalid_response" : "transport",
    ...(code ? { cause: code } : {}),
  });
}
