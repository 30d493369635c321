import { describe, expect, it } from "vitest";
import {
  createEnvelopeEncryptor,
  createKeyRing,
  encodeKey,
  generateKey,
  parseKeyRingConfig,
} from "../src/index.js";
import { AAD, expectSecurityError } from "./helpers.js";

for (const mode of ["direct", "wrapped"] as const) {
  describe(`key rotation (${mode} mode)`, () => {
    const k1 = generateKey();
    const k2 = generateKey();
    const before = createEnvelopeEncryptor({
      mode,
      keyRing: createKeyRing({ keys: [{ kid: "k1", key: k1, status: "active" }] }),
    });
    const during = createEnvelopeEncryptor({
      mode,
      keyRing: createKeyRing({
        keys: [
          { kid: "k1", key: k1, status: "decrypt_only", version: 1 },
          { kid: "k2", key: k2, status: "active", version: 2 },
        ],
      }),
    });
    const after = createEnvelopeEncryptor({
      mode,
      keyRing: createKeyRing({ keys: [{ kid: "k2", key: k2, status: "active" }] }),
    });

    it("keeps old records readable and writes new ones with the new key", () => {
      const old = before.encrypt("old secret", AAD);
      expect(during.decryptString(old, AAD)).toBe("old secret");
      expect(during.needsReencryption(old)).toBe(true);
      const fresh = during.encrypt("new secret", AAD);
      expect(fresh.kid).toBe("k2");
      expect(during.needsReencryption(fresh)).toBe(false);
    });

    it("re-encryption moves a record to the active key", () => {
      const old = before.encrypt("old secret", AAD);
      const moved = during.reencrypt(old, AAD);
      expect(moved.kid).toBe("k2");
      expect(moved.ct).not.toBe(old.ct);
      expect(during.needsReencryption(moved)).toBe(false);
      expect(during.decryptString(moved, AAD)).toBe("old secret");
      expect(after.decryptString(moved, AAD)).toBe("old secret");
    });

    it("returns a current envelope unchanged", () => {
      const fresh = during.encrypt("new secret", AAD);
      expect(during.reencrypt(fresh, AAD)).toBe(fresh);
    });

    it("makes records that were not moved unreadable once the old key is dropped", () => {
      const old = before.encrypt("old secret", AAD);
      expectSecurityError(() => after.decrypt(old, AAD), "ERR_KEY_UNKNOWN");
      expectSecurityError(() => after.reencrypt(old, AAD), "ERR_KEY_UNKNOWN");
    });

    it("keeps the associated-data binding through re-encryption", () => {
      const old = before.encrypt("old secret", AAD);
      expectSecurityError(() => during.reencrypt(old, `${AAD}:other`), "ERR_DECRYPT_FAILED");
      const moved = during.reencrypt(old, AAD);
      expectSecurityError(() => during.decrypt(moved, `${AAD}:other`), "ERR_DECRYPT_FAILED");
    });
  });
}

describe("rotation through configuration", () => {
  it("follows the documented procedure: prepend the new key, re-encrypt, drop the old one", () => {
    const k1 = encodeKey(generateKey());
    const k2 = encodeKey(generateKey());
    const v1 = createEnvelopeEncryptor({ keyRing: parseKeyRingConfig(`k1:${k1}`) });
    const v2 = createEnvelopeEncryptor({ keyRing: parseKeyRingConfig(`k2:${k2},k1:${k1}`) });
    const v3 = createEnvelopeEncryptor({ keyRing: parseKeyRingConfig(`k2:${k2}`) });
    const rows = Array.from({ length: 5 }, (_, i) => ({
      aad: `t_connections:${i}:ws`,
      env: v1.encrypt(`s${i}`, `t_connections:${i}:ws`),
    }));
    const migrated = rows.map((row) => ({
      ...row,
      env: v2.needsReencryption(row.env) ? v2.reencrypt(row.env, row.aad) : row.env,
    }));
    migrated.forEach((row, i) => {
      expect(row.env.kid).toBe("k2");
      expect(v3.decryptString(row.env, row.aad)).toBe(`s${i}`);
    });
  });
});
