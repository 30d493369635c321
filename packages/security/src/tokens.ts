import { randomBytes } from "node:crypto";
import { sha256, timingSafeEqualBytes } from "./compare.js";

const PREFIX = /^[a-z0-9]{2,8}$/;
const TOKEN = /^([a-z0-9]{2,8})_([A-Za-z0-9_-]{43})$/;

/** Well-known prefixes: bootstrap secret, agent token, personal access token, action link. */
export type TokenPrefix = "ah5b" | "ah5t" | "ah5p" | "ah5a" | (string & {});

/** `${prefix}_${43 base64url chars}`: 256 random bits. */
export function generateToken(prefix: TokenPrefix): string {
  if (!PREFIX.test(prefix)) throw new TypeError("token prefix must match [a-z0-9]{2,8}");
  return `${prefix}_${randomBytes(32).toString("base64url")}`;
}

export function parseToken(token: string): { prefix: string; secret: string } | null {
  const m = typeof token === "string" ? TOKEN.exec(token) : null;
  return m ? { prefix: m[1] as string, secret: m[2] as string } : null;
}

/** SHA-256 of the whole token: what the database stores (256-bit tokens need no pepper). */
export function hashToken(token: string): Buffer {
  return sha256(token);
}

/** First 8 characters after the prefix, for display and identification only. */
export function tokenDisplayPrefix(token: string): string {
  const at = token.indexOf("_");
  return token.slice(at + 1, at + 9);
}

export function verifyTokenHash(token: string, expectedHash: Uint8Array): boolean {
  return timingSafeEqualBytes(hashToken(token), expectedHash);
}
