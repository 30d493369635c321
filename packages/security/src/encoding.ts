const BASE64URL = /^[A-Za-z0-9_-]*$/;

export function toBase64Url(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/**
 * Strict base64url decoding: undefined for anything that is not canonical unpadded base64url.
 * Node's own decoder silently skips bad characters, which would let altered text decode to the
 * same bytes; requiring the canonical form gives every byte string exactly one spelling.
 */
export function fromBase64Url(text: string): Buffer | undefined {
  if (typeof text !== "string" || !BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return bytes.toString("base64url") === text ? bytes : undefined;
}
