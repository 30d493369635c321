/** An API error in the wire shape of API.md §1.7, plus the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    readonly details?: Record<string, unknown>,
    readonly requestId?: string,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

interface WireError {
  error?: unknown;
  message?: unknown;
  code?: unknown;
  hint?: unknown;
  details?: unknown;
  requestId?: unknown;
}

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** Builds an ApiError from any response body (ours, Better Auth's, or a proxy's HTML page). */
export function toApiError(status: number, body: unknown): ApiError {
  const w = (body && typeof body === "object" ? body : {}) as WireError;
  const message = str(w.error) ?? str(w.message) ?? `The request failed (HTTP ${status}).`;
  const code = str(w.code) ?? (status === 404 ? "NOT_FOUND" : status >= 500 ? "INTERNAL" : `HTTP_${status}`);
  const details =
    w.details && typeof w.details === "object" ? (w.details as Record<string, unknown>) : undefined;
  return new ApiError(status, code, message, str(w.hint), details, str(w.requestId));
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/** Validation issues of a 400 VALIDATION_FAILED, as `path: message` lines. */
export function validationIssues(e: ApiError): string[] {
  const issues = e.details?.issues;
  if (!Array.isArray(issues)) return [];
  return issues.map((i: { path?: unknown; message?: unknown }) =>
    [str(i.path), str(i.message)].filter(Boolean).join(": "),
  );
}
