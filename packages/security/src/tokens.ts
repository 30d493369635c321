import { randomBytes } from "node:crypto";
import { sha256, timingSafeEqualBytes } from "./compare.js";
import { fromBase64Url } from "./encoding.js";

const SECRET_BYTES = 32;
const PREFIX = /^[a-z0-9]{2,8}$/;
// The prefix has no "_", so the first "_" always separates it from the secret (which may have one).
const TOKEN = /^([a-z0-9]{2,8})_([A-Za-z0-9_-]{43})$/;
const DISPLAY_CHARS = 8;

/** Well-known prefixes: bootstrap secret, agent token, personal access token, action link. */
export type TokenPrefix = "ah5b" | "ah5t" | "ah5p" | "ah5a" | (string & {});

export interface ParsedToken {
  prefix: string;
  secret: string;
}

/**
 * `${prefix}_${43 base64url chars}`: 256 random bits. The prefix tells humans and secret
 * scanners what kind of credential leaked; it adds no secrecy.
 */
export function generateToken(prefix: TokenPrefix): string {
  if (typeof prefix !== "string" || !PREFIX.test(prefix)) {
    throw new TypeError("token prefix must match [a-z0-9]{2,8}");
  }
  return `${prefix}_${randomBytes(SECRET_BYTES).toString("base64url")}`;
}

/** Strict format check, including that the secret is the canonical encoding of 32 bytes. */
export function parseToken(token: string): ParsedToken | null {
  const match = typeof token === "string" ? TOKEN.exec(token) : null;
  const [, prefix, secret] = match ?? [];
  if (prefix === undefined || secret === undefined) return null;
  return fromBase64Url(secret)?.length === SECRET_BYTES ? { prefix, secret } : null;
}

/**
 * SHA-256 of the whole token string: what the database stores. A 256-bit random secret needs
 * no salt or slow hash; hashing the prefix too binds the token to its kind.
 */
export function hashToken(token: string): Buffer {
  return sha256(token);
}

/**
 * The first 8 characters after `prefix_`, to show in UIs and logs and to tell tokens apart
 * (48 of the 256 bits, which leaves the rest secret). Throws a TypeError for a malformed token.
 */
export function tokenDisplayPrefix(token: string): string {
  const parsed = parseToken(token);
  if (!parsed) throw new TypeError("not a well-formed token");
  return parsed.secret.slice(0, DISPLAY_CHARS);
}

/** Constant-time check of a presented token against the stored hash. */
export function verifyTokenHash(token: string, expectedHash: Uint8Array): boolean {
  if (typeof token !== "string" || !(expectedHash instanceof Uint8Array)) return false;
  return timingSafeEqualBytes(hashToken(token), expectedHash);
}
