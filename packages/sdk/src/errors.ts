/**
 * The one error type the SDK throws. `code` is the API's stable error code (API.md §1.8) or one
 * of the client-side codes below; branch on `code`, never on `message`.
 *
 * Client-side codes (status 0, no response from the API):
 * - `NETWORK_ERROR`: the request never got an HTTP answer (DNS, refused, reset).
 * - `TIMEOUT`: the request took longer than `timeoutMs`.
 * - `ABORTED`: the caller's `AbortSignal` fired.
 * - `APPROVAL_WAIT_TIMEOUT`: `approvals.wait` gave up before a decision.
 * - `AGENT_NOT_BOOTSTRAPPED`: agent mode without an enrolled key and no bootstrap secret.
 * - `INVALID_RESPONSE`: the API answered with something that is not the documented shape.
 */
export class AgentHiFiveError extends Error {
  override readonly name = "AgentHiFiveError";
  /** Stable, UPPER_SNAKE. */
  readonly code: string;
  /** HTTP status, or 0 when there was no HTTP answer. */
  readonly status: number;
  /** What to do next, from the API (`hint`) or the SDK. */
  readonly hint: string | undefined;
  /** The API's request id (also in the `X-Request-Id` header), for support and the audit log. */
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After`. */
  readonly retryAfter: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(init: {
    code: string;
    status: number;
    message: string;
    hint?: string | undefined;
    requestId?: string | undefined;
    retryAfter?: number | undefined;
    details?: Record<string, unknown> | undefined;
    cause?: unknown;
  }) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.hint = init.hint;
    this.requestId = init.requestId;
    this.retryAfter = init.retryAfter;
    this.details = init.details;
  }

  /** A plain object for logs and `--json` output (no stack, no cause). */
  toJSON() {
    return {
      error: this.message,
      code: this.code,
      status: this.status,
      ...(this.hint ? { hint: this.hint } : {}),
      ...(this.requestId ? { requestId: this.requestId } : {}),
      ...(this.retryAfter !== undefined ? { retryAfter: this.retryAfter } : {}),
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export function isAgentHiFiveError(value: unknown): value is AgentHiFiveError {
  return value instanceof AgentHiFiveError;
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date); undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Builds the error for a non-2xx answer from the API's error body (API.md §1.7). */
export function errorFromResponse(status: number, headers: Headers, body: unknown): AgentHiFiveError {
  const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === "string" ? v : undefined);
  return new AgentHiFiveError({
    code: str(b.code) ?? codeForStatus(status),
    status,
    message: str(b.error) ?? `The API answered HTTP ${status}.`,
    hint: str(b.hint),
    requestId: str(b.requestId) ?? headers.get("x-request-id") ?? undefined,
    retryAfter: parseRetryAfter(headers.get("retry-after")),
    details:
      typeof b.details === "object" && b.details !== null
        ? (b.details as Record<string, unknown>)
        : undefined,
  });
}

/** API.md §1.1: unknown codes are treated by status; this names a body-less answer. */
function codeForStatus(status: number): string {
  if (status === 401) return "UNAUTHENTICATED";
  if (status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 429) return "RATE_LIMITED";
  if (status === 503) return "SERVICE_UNAVAILABLE";
  if (status >= 500) return "INTERNAL";
  return "HTTP_ERROR";
}
