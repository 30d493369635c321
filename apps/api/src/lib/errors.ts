import { type ApiErrorCode, statusForCode } from "@agenthifive/contracts";

/** Default hints, so every 401/403/409/422/429 tells the caller its next step (API.md §1.7). */
const DEFAULT_HINTS: Partial<Record<ApiErrorCode, string>> = {
  VALIDATION_FAILED: "Fix the fields listed in details.issues and retry.",
  UNAUTHENTICATED: "Sign in again or obtain a new token.",
  TOKEN_EXPIRED: "Exchange your session for a new token (dashboard) or sign a new assertion (agent).",
  PRINCIPAL_NOT_ALLOWED: "Use the right credential type for this route.",
  SCOPE_MISSING: "Ask a workspace admin for a role or a token with the required scope.",
  CSRF_ORIGIN_MISMATCH: "Call this route from the dashboard origin.",
  NOT_FOUND: "Check the id and the active workspace.",
  CONFLICT: "See details.reason for what conflicts.",
  VERSION_MISMATCH: "Re-read the resource, merge your change and retry with the new version.",
  PAYLOAD_TOO_LARGE: "Send a smaller body.",
  UNSUPPORTED_MEDIA_TYPE: "Send the body as application/json.",
  IDEMPOTENCY_KEY_REUSED: "Use a new Idempotency-Key for a different request.",
  RATE_LIMITED: "Wait Retry-After seconds before retrying.",
  INTERNAL: "Retry later; report the requestId if it persists.",
  SERVICE_UNAVAILABLE: "Retry later.",
  LAST_OWNER: "Make another member an owner first.",
};

export interface AppErrorOptions {
  hint?: string;
  details?: Record<string, unknown>;
  status?: number;
  headers?: Record<string, string>;
}

/**
 * The one error type services throw; the error handler turns it into the wire shape. A refusal
 * (4xx) is an answer, not a fault: it carries no stack trace, whose capture cost more than the
 * rest of a policy denial's error path. Server errors (5xx) keep theirs for the log.
 */
export class AppError extends Error {
  readonly status: number;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(
    readonly code: ApiErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    const status = options.status ?? statusForCode(code);
    const stackLimit = Error.stackTraceLimit;
    if (status < 500) Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = stackLimit;
    this.name = "AppError";
    this.status = status;
    this.hint = options.hint ?? DEFAULT_HINTS[code];
    this.details = options.details;
    this.headers = options.headers;
  }
}

export const notFound = (what = "Resource") => new AppError("NOT_FOUND", `${what} not found.`);
export const conflict = (message: string, reason: string, hint?: string) =>
  new AppError("CONFLICT", message, { details: { reason }, ...(hint ? { hint } : {}) });
