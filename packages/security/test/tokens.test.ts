import { describe, expect, it } from "vitest";
import {
  generateToken,
  hashToken,
  parseToken,
  sha256,
  tokenDisplayPrefix,
  verifyTokenHash,
} from "../src/index.js";

const SECRET = `${"a".repeat(42)}A`; // canonical: the last character carries 4 zero bits

describe("tokens", () => {
  it.each(["ah5b", "ah5t", "ah5p", "ah5a", "xy", "abcd1234"])(
    "are %s_ + 43 base64url characters",
    (prefix) => {
      const token = generateToken(prefix);
      expect(token).toMatch(new RegExp(`^${prefix}_[A-Za-z0-9_-]{43}$`));
      expect(Buffer.from(token.slice(prefix.length + 1), "base64url")).toHaveLength(32);
      expect(parseToken(token)).toEqual({ prefix, secret: token.slice(prefix.length + 1) });
    },
  );

  it("never repeat", () => {
    const tokens = Array.from({ length: 5000 }, () => generateToken("ah5t"));
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(new Set(tokens.map(tokenDisplayPrefix)).size).toBe(tokens.length);
  });

  it.each(["", "A", "ah5_", "toolongprefix", "ah-5", "ah5T", 7])("refuse the prefix %j", (prefix) => {
    expect(() => generateToken(prefix as string)).toThrow(TypeError);
  });

  it("parse a secret that itself contains underscores", () => {
    expect(parseToken(`ah5t_${"_".repeat(42)}w`)).toEqual({ prefix: "ah5t", secret: `${"_".repeat(42)}w` });
  });

  it.each([
    ["empty", ""],
    ["prefix only", "ah5t"],
    ["prefix and separator", "ah5t_"],
    ["a short secret", "ah5t_short"],
    ["a 44-character secret", `ah5t_${SECRET}a`],
    ["a 42-character secret", `ah5t_${SECRET.slice(1)}`],
    ["an upper-case prefix", `AH5T_${SECRET}`],
    ["a dash separator", `ah5t-${SECRET}`],
    ["a one-letter prefix", `a_${SECRET}`],
    ["base64 characters", `ah5t_${SECRET.slice(0, 41)}+/`],
    ["padding", `ah5t_${SECRET.slice(0, 42)}=`],
    ["whitespace", ` ah5t_${SECRET}`],
    ["a trailing newline", `ah5t_${SECRET}\n`],
    ["a non-canonical secret", `ah5t_${SECRET.slice(0, 42)}B`],
    ["a non-string", 42],
  ])("parseToken rejects %s", (_name, bad) => {
    expect(parseToken(bad as string)).toBeNull();
  });

  it("hash the whole token to 32 bytes", () => {
    const token = generateToken("ah5p");
    const hash = hashToken(token);
    expect(hash).toHaveLength(32);
    expect(hash.equals(sha256(token))).toBe(true);
    // Same secret, other kind of token: another hash.
    expect(hashToken(token.replace(/^ah5p/, "ah5t")).equals(hash)).toBe(false);
  });

  it("verify against a stored hash", () => {
    const token = generateToken("ah5p");
    const hash = hashToken(token);
    expect(verifyTokenHash(token, hash)).toBe(true);
    expect(verifyTokenHash(token, new Uint8Array(hash))).toBe(true);
    expect(verifyTokenHash(generateToken("ah5p"), hash)).toBe(false);
    expect(verifyTokenHash(`${token}x`, hash)).toBe(false);
    expect(verifyTokenHash(token.slice(0, -1), hash)).toBe(false);
    expect(verifyTokenHash(token, hash.subarray(0, 31))).toBe(false);
    expect(verifyTokenHash(token, Buffer.alloc(0))).toBe(false);
    expect(verifyTokenHash(token, "hash" as unknown as Uint8Array)).toBe(false);
  });

  it("show the 8 characters after the prefix", () => {
    const token = generateToken("ah5b");
    expect(tokenDisplayPrefix(token)).toBe(token.slice(5, 13));
    expect(tokenDisplayPrefix(`abcd1234_${SECRET}`)).toBe("aaaaaaaa");
    expect(() => tokenDisplayPrefix("not-a-token")).toThrow(TypeError);
  });
});
