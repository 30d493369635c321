import pino, { type DestinationStream, type Logger } from "pino";

/** Paths whose values never reach a log line (API.md S7, ARCHITECTURE §6.1). */
export const REDACT_PATHS = [
  "req.headers.authorization",
  "req.headers.cookie",
  "req.headers['x-api-key']",
  "req.headers['x-goog-api-key']",
  "res.headers['set-cookie']",
  "*.password",
  "*.newPassword",
  "*.secret",
  "*.clientSecret",
  "*.token",
  "*.accessToken",
  "*.refreshToken",
  "*.access_token",
  "*.refresh_token",
  "*.client_assertion",
  "*.bootstrapSecret",
  "*.apiKey",
  "*.privateKey",
];

/** Our opaque tokens (`ah5a_…` action links travel in the path) never reach a log line in a URL. */
const TOKEN_IN_URL = /\b(ah5[a-z]_)[A-Za-z0-9_-]{8,}/g;

/** Fastify's request fields, with any token in the URL masked (API.md S7). */
function serializeRequest(req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: req.method,
    url: req.url?.replace(TOKEN_IN_URL, "$1[redacted]"),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      serializers: { req: serializeRequest },
      base: { service: "agenthifive-api" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    // Asynchronous stdout: a log line never blocks the event loop; pino flushes it at exit.
    destination ?? pino.destination({ dest: 1, sync: false }),
  );
}
