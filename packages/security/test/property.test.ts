import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEnvelopeEncryptor, type EncryptedEnvelopeV1, SecurityError } from "../src/index.js";
import { flipBit, singleKeyRing } from "./helpers.js";

// Any well-formed string is a valid AAD: full Unicode, not just ASCII.
const aadArb = fc.string({ unit: "grapheme", minLength: 1, maxLength: 64 });
const payloadArb = fc.uint8Array({ maxLength: 1024 });

for (const mode of ["direct", "wrapped"] as const) {
  describe(`properties (${mode} mode)`, () => {
    const enc = createEnvelopeEncryptor({ keyRing: singleKeyRing(), mode });
    const fields: (keyof EncryptedEnvelopeV1)[] =
      mode === "wrapped" ? ["iv", "tag", "ct", "dk"] : ["iv", "tag", "ct"];

    it("round-trips any payload under any AAD", () => {
      fc.assert(
        fc.property(payloadArb, aadArb, (payload, aad) => {
          expect(enc.decrypt(enc.encrypt(payload, aad), aad).equals(Buffer.from(payload))).toBe(true);
        }),
        { numRuns: 300 },
      );
    });

    it("rejects any single flipped bit of iv, tag, ct or dk with ERR_DECRYPT_FAILED", () => {
      fc.assert(
        fc.property(payloadArb, aadArb, fc.constantFrom(...fields), fc.nat(), (payload, aad, field, seed) => {
          const env = enc.encrypt(payload, aad);
          const bits = Buffer.from(env[field] as string, "base64url").length * 8;
          fc.pre(bits > 0); // an empty payload has no ciphertext bits to flip
          const tampered = { ...env, [field]: flipBit(env[field] as string, seed % bits) };
          try {
            enc.decrypt(tampered, aad);
            return false;
          } catch (error) {
            return error instanceof SecurityError && error.code === "ERR_DECRYPT_FAILED";
          }
        }),
        { numRuns: 300 },
      );
    });

    it("rejects any other AAD", () => {
      fc.assert(
        fc.property(payloadArb, aadArb, aadArb, (payload, aad, other) => {
          fc.pre(aad !== other);
          expect(() => enc.decrypt(enc.encrypt(payload, aad), other)).toThrowError(SecurityError);
        }),
        { numRuns: 200 },
      );
    });
  });
}
