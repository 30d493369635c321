import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hmacSha256, sha256, timingSafeEqualBytes, timingSafeEqualString } from "../src/index.js";

describe("constant-time comparison", () => {
  it.each([
    ["abc", "abc", true],
    ["", "", true],
    ["päß🔐", "päß🔐", true],
    ["abc", "abd", false],
    ["abc", "abcd", false],
    ["abc", "", false],
    ["abc", "ABC", false],
  ])("%j vs %j → %s", (a, b, expected) => {
    expect(timingSafeEqualString(a, b)).toBe(expected);
    expect(timingSafeEqualBytes(Buffer.from(a), Buffer.from(b))).toBe(expected);
  });

  it("handles bytes of any length, including a trailing zero", () => {
    expect(timingSafeEqualBytes(Uint8Array.from([1, 2]), Buffer.from([1, 2]))).toBe(true);
    expect(timingSafeEqualBytes(Buffer.from([1, 2]), Buffer.from([1, 2, 0]))).toBe(false);
    expect(timingSafeEqualBytes(new Uint8Array(0), Buffer.from([0]))).toBe(false);
  });

  it("agrees with ordinary equality", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 }), (a, b) => {
        expect(timingSafeEqualBytes(a, b)).toBe(Buffer.from(a).equals(Buffer.from(b)));
        expect(timingSafeEqualBytes(a, Uint8Array.from(a))).toBe(true);
      }),
    );
  });
});

describe("hashes", () => {
  it("computes SHA-256 (FIPS 180-2 'abc')", () => {
    expect(sha256("abc").toString("hex")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(sha256(Buffer.from("abc")).equals(sha256("abc"))).toBe(true);
  });

  it("computes HMAC-SHA256 (RFC 4231 test cases 1 and 2)", () => {
    expect(hmacSha256(Buffer.alloc(20, 0x0b), "Hi There").toString("hex")).toBe(
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
    );
    expect(hmacSha256("Jefe", "what do ya want for nothing?").toString("hex")).toBe(
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
    );
  });
});
