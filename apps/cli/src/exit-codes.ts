import { AgentHiFiveError } from "@agenthifive/sdk";

/** Exit codes scripts can rely on. Documented in the README and `ah5 --help`. */
export const EXIT = {
  OK: 0,
  ERROR: 1,
  USAGE: 2,
  AUTH: 3,
  FORBIDDEN: 4,
  NOT_FOUND: 5,
  CONFLICT: 6,
  RETRY_LATER: 7,
  UNREACHABLE: 8,
  APPROVAL_PENDING: 10,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0  success                          5  not found
  1  other error                      6  conflict or invalid request (400/409/410/412/422)
  2  usage error                      7  rate limited or unavailable, retry later (429/503)
  3  not signed in / bad credential   8  API unreachable or timed out
  4  not allowed (403)               10  approval required or still pending`;

export function exitCodeFor(error: unknown): number {
  if (error instanceof UsageError) return EXIT.USAGE;
  if (error instanceof SilentExit) return error.exitCode;
  if (!(error instanceof AgentHiFiveError)) return EXIT.ERROR;
  if (
    error.code === "APPROVAL_REQUIRED" ||
    error.code === "APPROVAL_PENDING" ||
    error.code === "APPROVAL_WAIT_TIMEOUT"
  )
    return EXIT.APPROVAL_PENDING;
  if (error.code === "NOT_SIGNED_IN" || error.status === 401) return EXIT.AUTH;
  if (error.code === "NETWORK_ERROR" || error.code === "TIMEOUT") return EXIT.UNREACHABLE;
  if (error.status === 403) return EXIT.FORBIDDEN;
  if (error.status === 404) return EXIT.NOT_FOUND;
  if (error.status === 429 || error.status === 503) return EXIT.RETRY_LATER;
  if ([400, 409, 410, 412, 413, 422].includes(error.status)) return EXIT.CONFLICT;
  return EXIT.ERROR;
}

/** A mistake in how the command was called (bad flag value, missing option). */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The command already printed its outcome; exit with this code and print nothing more. */
export class SilentExit extends Error {
  override readonly name = "SilentExit";
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
