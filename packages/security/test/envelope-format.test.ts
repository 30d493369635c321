import { describe, expect, it } from "vitest";
import { createEnvelopeEncryptor, isEncryptedEnvelopeV1, parseEnvelope } from "../src/index.js";
import { AAD, expectSecurityError, singleKeyRing } from "./helpers.js";

describe("envelope validation", () => {
  const enc = createEnvelopeEncryptor({ keyRing: singleKeyRing() });
  const good = enc.encrypt("x", AAD);
  const wrapped = createEnvelopeEncryptor({ keyRing: singleKeyRing(), mode: "wrapped" }).encrypt("x", AAD);
  const b64 = (n: number) => Buffer.alloc(n, 1).toString("base64url");
  const { ct: _ct, ...withoutCt } = good;

  // A 16-byte tag is 22 characters whose last one carries 4 unused zero bits; setting one of them
  // spells the same bytes differently, which node's decoder would silently accept.
  const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  function nonCanonical(tag: string): string {
    const spelled = tag.slice(0, -1) + ALPHABET[ALPHABET.indexOf(tag.slice(-1)) + 1];
    expect(Buffer.from(spelled, "base64url").equals(Buffer.from(tag, "base64url"))).toBe(true);
    return spelled;
  }

  it("accepts well-formed envelopes, including after a JSON round trip", () => {
    expect(parseEnvelope(JSON.parse(JSON.stringify(good)))).toEqual(good);
    expect(isEncryptedEnvelopeV1(good)).toBe(true);
    expect(isEncryptedEnvelopeV1(wrapped)).toBe(true);
    expect(parseEnvelope(good)).toBe(good);
  });

  it.each<[string, unknown]>([
    ["a missing field", withoutCt],
    ["a missing kid", { ...good, kid: undefined }],
    ["version 2", { ...good, v: 2 }],
    ["version as a string", { ...good, v: "1" }],
    ["an empty kid", { ...good, kid: "" }],
    ["a kid with forbidden characters", { ...good, kid: "k1/../k2" }],
    ["a kid that is too long", { ...good, kid: "k".repeat(65) }],
    ["ct that is not base64url", { ...good, ct: "not base64!" }],
    ["standard base64 instead of base64url", { ...good, iv: "+/+/+/+/+/+/+/+/" }],
    ["padded base64url", { ...good, tag: `${good.tag}==` }],
    ["non-canonical base64url (same bytes, other spelling)", { ...good, tag: nonCanonical(good.tag) }],
    ["an IV of 17 characters", { ...good, iv: `${good.iv}A` }],
    ["an IV of 8 bytes", { ...good, iv: b64(8) }],
    ["an IV of 16 bytes", { ...good, iv: b64(16) }],
    ["a tag of 12 bytes", { ...good, tag: b64(12) }],
    ["a tag of 17 bytes", { ...good, tag: b64(17) }],
    ["a wrapped key of the wrong length", { ...good, dk: b64(59) }],
    ["a wrapped key that is not a string", { ...good, dk: 7 }],
    ["a numeric ct", { ...good, ct: 12 }],
    ["an extra field", { ...good, plaintext: "oops" }],
    ["an extra null field", { ...good, alg: null }],
    ["a string", JSON.stringify(good)],
    ["an array", [good]],
    ["null", null],
    ["undefined", undefined],
  ])("rejects %s with ERR_ENVELOPE_INVALID", (_name, value) => {
    expectSecurityError(() => enc.decrypt(value, AAD), "ERR_ENVELOPE_INVALID");
    expectSecurityError(() => parseEnvelope(value), "ERR_ENVELOPE_INVALID");
    expect(isEncryptedEnvelopeV1(value)).toBe(false);
  });

  it("rejects a kid that is not in the ring with ERR_KEY_UNKNOWN", () => {
    const err = expectSecurityError(() => enc.decrypt({ ...good, kid: "k9" }, AAD), "ERR_KEY_UNKNOWN");
    expect(err.message).toContain("k9");
    expectSecurityError(() => enc.decrypt({ ...wrapped, kid: "k9" }, AAD), "ERR_KEY_UNKNOWN");
  });

  it("validates before deciding whether to re-encrypt", () => {
    expectSecurityError(() => enc.needsReencryption({ ...good, v: 2 } as never), "ERR_ENVELOPE_INVALID");
    expectSecurityError(() => enc.reencrypt({ ...good, iv: "" }, AAD), "ERR_ENVELOPE_INVALID");
  });
});
