import { describe, expect, it } from "vitest";
import {
  createEnvelopeEncryptor,
  createKeyRing,
  type EncryptedEnvelopeV1,
  generateKey,
} from "../src/index.js";
import { AAD, expectSecurityError, flipBit, singleKeyRing } from "./helpers.js";

const SECRET = "refresh-token-1//0gSecretValue";

for (const mode of ["direct", "wrapped"] as const) {
  describe(`envelope encryption (${mode} mode)`, () => {
    const enc = createEnvelopeEncryptor({ keyRing: singleKeyRing(), mode });

    it.each([
      ["empty", ""],
      ["ascii", SECRET],
      ["unicode", "päßwörd 🔐 日本語 ∑"],
    ])("round-trips %s text", (_name, text) => {
      expect(enc.decryptString(enc.encrypt(text, AAD), AAD)).toBe(text);
    });

    it("round-trips binary, empty bytes and a 1 MiB payload", () => {
      const binary = Uint8Array.from([0, 255, 1, 254, 0, 0, 0x80, 0xc3]);
      expect(enc.decrypt(enc.encrypt(binary, AAD), AAD)).toEqual(Buffer.from(binary));
      expect(enc.decrypt(enc.encrypt(new Uint8Array(0), AAD), AAD)).toHaveLength(0);
      const big = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      expect(enc.decrypt(enc.encrypt(big, AAD), AAD).equals(big)).toBe(true);
    });

    it("round-trips JSON, also after a jsonb-style serialisation of the envelope", () => {
      const value = { accessToken: "at", refreshToken: "rt", expiresAt: 1_800_000_000, scopes: ["a", "b"] };
      const stored = JSON.parse(JSON.stringify(enc.encryptJson(value, AAD)));
      expect(enc.decryptJson(stored, AAD)).toEqual(value);
    });

    it("writes the expected shape with the active kid and a fresh IV every time", () => {
      const a = enc.encrypt("same", AAD);
      const b = enc.encrypt("same", AAD);
      expect(Object.keys(a).sort()).toEqual(
        mode === "wrapped" ? ["ct", "dk", "iv", "kid", "tag", "v"] : ["ct", "iv", "kid", "tag", "v"],
      );
      expect(a).toMatchObject({ v: 1, kid: "k1" });
      expect(Buffer.from(a.iv, "base64url")).toHaveLength(12);
      expect(Buffer.from(a.tag, "base64url")).toHaveLength(16);
      expect(a.iv).not.toBe(b.iv);
      expect(a.ct).not.toBe(b.ct);
      if (mode === "wrapped") expect(Buffer.from(a.dk ?? "", "base64url")).toHaveLength(60);
    });

    it.each(["ct", "tag", "iv", ...(mode === "wrapped" ? ["dk"] : [])] as const)(
      "rejects a tampered %s with ERR_DECRYPT_FAILED",
      (field) => {
        const env = enc.encrypt(SECRET, AAD);
        for (const bit of [0, 7, 42, 95]) {
          const tampered = {
            ...env,
            [field]: flipBit(env[field as keyof EncryptedEnvelopeV1] as string, bit),
          };
          expectSecurityError(() => enc.decrypt(tampered, AAD), "ERR_DECRYPT_FAILED");
        }
      },
    );

    it("rejects truncated or extended ciphertext", () => {
      const env = enc.encrypt(SECRET, AAD);
      const ct = Buffer.from(env.ct, "base64url");
      for (const other of [ct.subarray(0, -1), Buffer.concat([ct, Buffer.from([0])]), Buffer.alloc(0)]) {
        const tampered = { ...env, ct: other.toString("base64url") };
        expectSecurityError(() => enc.decrypt(tampered, AAD), "ERR_DECRYPT_FAILED");
      }
    });

    it("rejects associated data of another row, table or workspace", () => {
      const env = enc.encrypt(SECRET, AAD);
      for (const other of [
        AAD.replace("t_connections", "t_policies"),
        AAD.replace("7c4d", "7c4e"),
        AAD.replace("000000000001", "000000000002"),
        `${AAD} `,
        AAD.toUpperCase(),
      ]) {
        expectSecurityError(() => enc.decrypt(env, other), "ERR_DECRYPT_FAILED");
      }
    });

    it("rejects the wrong key under the same kid", () => {
      const env = enc.encrypt(SECRET, AAD);
      const other = createEnvelopeEncryptor({ keyRing: singleKeyRing(generateKey(), "k1"), mode });
      expectSecurityError(() => other.decrypt(env, AAD), "ERR_DECRYPT_FAILED");
    });

    it("rejects an envelope relabelled with another kid of the same ring", () => {
      const keyRing = createKeyRing({
        keys: [
          { kid: "k1", key: generateKey(), status: "active" },
          { kid: "k2", key: generateKey(), status: "decrypt_only" },
        ],
      });
      const twoKeys = createEnvelopeEncryptor({ keyRing, mode });
      const env = twoKeys.encrypt(SECRET, AAD);
      expectSecurityError(() => twoKeys.decrypt({ ...env, kid: "k2" }, AAD), "ERR_DECRYPT_FAILED");
    });

    it("refuses empty or malformed associated data with ERR_ENVELOPE_INVALID", () => {
      const env = enc.encrypt(SECRET, AAD);
      for (const aad of ["", "half \uD800 surrogate", undefined, 42]) {
        expectSecurityError(() => enc.encrypt(SECRET, aad as string), "ERR_ENVELOPE_INVALID");
        expectSecurityError(() => enc.decrypt(env, aad as string), "ERR_ENVELOPE_INVALID");
      }
    });
  });
}

describe("direct and wrapped envelopes", () => {
  const keyRing = singleKeyRing();
  const direct = createEnvelopeEncryptor({ keyRing });
  const wrapped = createEnvelopeEncryptor({ keyRing, mode: "wrapped" });

  it("are readable whatever mode the reader writes in", () => {
    expect(direct.decryptString(wrapped.encrypt(SECRET, AAD), AAD)).toBe(SECRET);
    expect(wrapped.decryptString(direct.encrypt(SECRET, AAD), AAD)).toBe(SECRET);
  });

  it("cannot be converted into each other or share a wrapped key", () => {
    const w = wrapped.encrypt(SECRET, AAD);
    const d = direct.encrypt(SECRET, AAD);
    const { dk: _dk, ...withoutDk } = w;
    expectSecurityError(() => direct.decrypt(withoutDk, AAD), "ERR_DECRYPT_FAILED");
    expectSecurityError(() => direct.decrypt({ ...d, dk: w.dk }, AAD), "ERR_DECRYPT_FAILED");
    const other = wrapped.encrypt(SECRET, AAD);
    expectSecurityError(() => direct.decrypt({ ...w, dk: other.dk }, AAD), "ERR_DECRYPT_FAILED");
  });

  it("refuses an unknown mode", () => {
    expect(() => createEnvelopeEncryptor({ keyRing, mode: "ecb" as "direct" })).toThrow(TypeError);
  });
});

describe("payload encoding", () => {
  const enc = createEnvelopeEncryptor({ keyRing: singleKeyRing() });

  it("fails closed on bytes that are not UTF-8 or JSON, without quoting them", () => {
    const notUtf8 = enc.encrypt(Uint8Array.from([0x7b, 0xff, 0xfe]), AAD);
    expectSecurityError(() => enc.decryptString(notUtf8, AAD), "ERR_DECRYPT_FAILED");
    const notJson = enc.encrypt("hunter2 is not json", AAD);
    const err = expectSecurityError(() => enc.decryptJson(notJson, AAD), "ERR_DECRYPT_FAILED");
    expect(err.message).not.toContain("hunter2");
  });

  it("refuses plaintext that cannot be encoded faithfully", () => {
    expect(() => enc.encrypt("lone \uDC00 surrogate", AAD)).toThrow(TypeError);
    expect(() => enc.encrypt(42 as unknown as string, AAD)).toThrow(TypeError);
    expect(() => enc.encryptJson(undefined, AAD)).toThrow(TypeError);
  });

  it("refuses a random source that returns the wrong number of bytes", () => {
    const broken = createEnvelopeEncryptor({
      keyRing: singleKeyRing(),
      randomBytes: () => new Uint8Array(16),
    });
    expect(() => broken.encrypt("x", AAD)).toThrow(TypeError);
  });
});
