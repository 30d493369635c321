import { createCipheriv, createDecipheriv } from "node:crypto";
import { SecurityError } from "./errors.js";

/** 96-bit IVs are the GCM fast path (NIST SP 800-38D); other lengths are rejected on read. */
export const IV_BYTES = 12;
/** Full 128-bit tags only: truncated tags weaken forgery resistance. */
export const TAG_BYTES = 16;

/**
 * The one place that calls the AES-256-GCM cipher. Internal: it accepts any AAD, including
 * none, so the public API (which always binds an owner) is built on top of it. Known-answer
 * vectors are checked against it directly.
 */
export function gcmSeal(
  key: Uint8Array,
  iv: Uint8Array,
  plaintext: Uint8Array,
  aad: Uint8Array,
): { ct: Buffer; tag: Buffer } {
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ct, tag: cipher.getAuthTag() };
}

/**
 * Authenticates then decrypts. Every failure (wrong key, IV, tag, ciphertext or AAD) becomes the
 * same ERR_DECRYPT_FAILED: telling them apart would help an attacker, and node's own messages
 * are dropped so nothing about the inputs can leak.
 */
export function gcmOpen(
  key: Uint8Array,
  iv: Uint8Array,
  ct: Uint8Array,
  tag: Uint8Array,
  aad: Uint8Array,
): Buffer {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw decryptFailed();
  }
}

export function decryptFailed(): SecurityError {
  return new SecurityError(
    "ERR_DECRYPT_FAILED",
    "Decryption failed: wrong key, tampered data or mismatched associated data.",
  );
}
