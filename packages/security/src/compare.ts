import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export function sha256(data: string | Uint8Array): Buffer {
  return createHash("sha256").update(data).digest();
}

export function hmacSha256(key: string | Uint8Array, data: string | Uint8Array): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/**
 * Constant-time equality. Both sides are hashed first so inputs of different lengths take the
 * same path (timingSafeEqual itself throws on a length mismatch, which would leak the length).
 */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  const equalDigests = timingSafeEqual(sha256(a), sha256(b));
  return equalDigests && a.length === b.length;
}

export function timingSafeEqualString(a: string, b: string): boolean {
  return timingSafeEqualBytes(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
