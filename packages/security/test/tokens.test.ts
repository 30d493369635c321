import { describe, expect, it } from "vitest";
import {
  generateToken,
  hashToken,
  hmacSha256,
  parseToken,
  sha256,
  timingSafeEqualBytes,
  timingSafeEqualString,
  tokenDisplayPrefix,
  verifyTokenHash,
} from "../src/index.js";

describe("tokens", () => {
  it("are prefixed 256-bit base64url secrets", () => {
    for (const prefix of ["ah5b", "ah5t", "ah5p", "ah5a"]) {
      const token = generateToken(prefix);
      expect(token).toMatch(new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`));
      expect(parseToken(token)).toEqual({ prefix, secret: token.slice(prefix.length + 1) });
    }
  });
  it("never repeat", () => {
    const seen = new Set(Array.from({ length: 2000 }, () => generateToken("ah5t")));
    expect(seen.size).toBe(2000);
  });
  it("refuse bad prefixes", () => {
    expect(() => generateToken("AH5")).toThrow(TypeError);
    expect(() => generateToken("a")).toThrow(TypeError);
  });
  it("parseToken rejects malformed tokens", () => {
    for (const bad of [
      "",
      "ah5t",
      "ah5t_short",
      `ah5t_${"a".repeat(44)}`,
      `AH5T_${"a".repeat(43)}`,
      `ah5t-${"a".repeat(43)}`,
    ]) {
      expect(parseToken(bad)).toBeNull();
    }
  });
  it("hash to 32 bytes and verify in constant time", () => {
    const token = generateToken("ah5p");
    const hash = hashToken(token);
    expect(hash).toHaveLength(32);
    expect(hash.equals(sha256(token))).toBe(true);
    expect(verifyTokenHash(token, hash)).toBe(true);
    expect(verifyTokenHash(generateToken("ah5p"), hash)).toBe(false);
    expect(verifyTokenHash(token, hash.subarray(0, 31))).toBe(false);
  });
  it("expose 8 display characters after the prefix", () => {
    const token = generateToken("ah5b");
    expect(tokenDisplayPrefix(token)).toBe(token.slice(5, 13));
  });
});

describe("compare helpers", () => {
  it("compare strings and bytes of any length", () => {
    expect(timingSafeEqualString("abc", "abc")).toBe(true);
    expect(timingSafeEqualString("abc", "abd")).toBe(false);
    expect(timingSafeEqualString("abc", "abcd")).toBe(false);
    expect(timingSafeEqualString("", "")).toBe(true);
    expect(timingSafeEqualBytes(Buffer.from([1, 2]), Buffer.from([1, 2]))).toBe(true);
    expect(timingSafeEqualBytes(Buffer.from([1, 2]), Buffer.from([1, 2, 0]))).toBe(false);
  });
  it("compute HMAC-SHA256 (RFC 4231 test case 2)", () => {
    expect(hmacSha256("Jefe", "what do ya want for nothing?").toString("hex")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});
