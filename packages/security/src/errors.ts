/** Stable codes: callers branch on these, never on messages. */
export type SecurityErrorCode =
  | "ERR_DECRYPT_FAILED"
  | "ERR_KEY_UNKNOWN"
  | "ERR_ENVELOPE_INVALID"
  | "ERR_KEY_INVALID"
  | "ERR_KEYRING_INVALID";

const CODES: ReadonlySet<string> = new Set<SecurityErrorCode>([
  "ERR_DECRYPT_FAILED",
  "ERR_KEY_UNKNOWN",
  "ERR_ENVELOPE_INVALID",
  "ERR_KEY_INVALID",
  "ERR_KEYRING_INVALID",
]);

/**
 * What this package throws for bad keys, key rings, envelopes and failed decryption. Messages
 * never contain key material or plaintext, and a failed decryption never says which part (key,
 * IV, tag, ciphertext, AAD) was wrong. Programming errors (a malformed token prefix, an injected
 * random source returning the wrong length) are plain TypeErrors.
 */
export class SecurityError extends Error {
  constructor(
    readonly code: SecurityErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "SecurityError";
  }
}

/**
 * Also recognises errors from another copy of this package (the workspace can load both the
 * TypeScript sources and the built `dist`), where `instanceof` alone would say no.
 */
export function isSecurityError(value: unknown): value is SecurityError {
  if (value instanceof SecurityError) return true;
  return (
    value instanceof Error &&
    value.name === "SecurityError" &&
    CODES.has((value as { code?: unknown }).code as string)
  );
}
