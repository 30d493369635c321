/** Stable codes: callers branch on these, never on messages. */
export type SecurityErrorCode =
  | "ERR_DECRYPT_FAILED"
  | "ERR_KEY_UNKNOWN"
  | "ERR_ENVELOPE_INVALID"
  | "ERR_KEY_INVALID"
  | "ERR_KEYRING_INVALID";

/**
 * The only error this package throws. Messages never contain key material or plaintext, and a
 * decryption failure never says which part (key, IV, tag, ciphertext, AAD) was wrong.
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

export function isSecurityError(value: unknown): value is SecurityError {
  return value instanceof SecurityError;
}
