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

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
      base: { service: "agenthifive-api" },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
