import { describe, expect, it } from "vitest";
import {
  createEnvelopeEncryptor,
  createKeyRing,
  encodeKey,
  generateKey,
  isSecurityError,
  parseKeyRingConfig,
  SecurityError,
} from "../src/index.js";
import { AAD, flipBit } from "./helpers.js";

describe("SecurityError", () => {
  it("carries a stable code and is recognised by isSecurityError", () => {
    const err = new SecurityError("ERR_KEY_UNKNOWN", "x");
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("SecurityError");
    expect(err.code).toBe("ERR_KEY_UNKNOWN");
    expect(isSecurityError(err)).toBe(true);
  });

  it("recognises one thrown by another copy of the package, and nothing else", () => {
    const foreign = Object.assign(new Error("x"), { name: "SecurityError", code: "ERR_DECRYPT_FAILED" });
    expect(isSecurityError(foreign)).toBe(true);
    expect(isSecurityError(Object.assign(new Error("x"), { name: "SecurityError", code: "EACCES" }))).toBe(
      false,
    );
    expect(isSecurityError(new Error("x"))).toBe(false);
    expect(isSecurityError({ name: "SecurityError", code: "ERR_DECRYPT_FAILED" })).toBe(false);
    expect(isSecurityError(null)).toBe(false);
  });
});

describe("errors never carry plaintext or key material", () => {
  const key = generateKey();
  const oldKey = generateKey();
  const PLAINTEXT = "sk_live_CANARY_51Habc";
  const secrets = [
    PLAINTEXT,
    ...[key, oldKey].flatMap((k) => [k.toString("hex"), k.toString("base64"), encodeKey(k)]),
  ];
  const keyRing = createKeyRing({ keys: [{ kid: "k1", key, status: "active" }] });

  function thrownBy(fn: () => unknown): unknown {
    try {
      fn();
    } catch (error) {
      return error;
    }
    throw new Error("expected a throw");
  }

  for (const mode of ["direct", "wrapped"] as const) {
    it(`in ${mode} mode, for every way decryption can fail`, () => {
      const enc = createEnvelopeEncryptor({ keyRing, mode });
      const env = enc.encrypt(PLAINTEXT, AAD);
      const json = enc.encrypt(`${PLAINTEXT} is not JSON`, AAD);
      const other = createEnvelopeEncryptor({ keyRing: parseKeyRingConfig(`k1:${encodeKey(oldKey)}`), mode });
      const failures = [
        () => enc.decrypt({ ...env, ct: flipBit(env.ct) }, AAD),
        () => enc.decrypt({ ...env, tag: flipBit(env.tag) }, AAD),
        () => enc.decrypt({ ...env, iv: flipBit(env.iv) }, AAD),
        () => enc.decrypt(env, `${AAD}x`),
        () => other.decrypt(env, AAD),
        () => enc.decrypt({ ...env, kid: "k2" }, AAD),
        () => enc.decrypt({ ...env, [PLAINTEXT]: PLAINTEXT }, AAD),
        () => enc.decrypt({ ...env, ct: PLAINTEXT }, AAD),
        () => enc.decryptJson(json, AAD),
        () => enc.decryptString(enc.encrypt(Buffer.from([0xff, ...Buffer.from(PLAINTEXT)]), AAD), AAD),
        () => enc.encrypt(PLAINTEXT, ""),
        () => parseKeyRingConfig(`k1:${encodeKey(key).slice(0, 30)},k2:${encodeKey(oldKey)}`),
        () => parseKeyRingConfig(`${encodeKey(key)}:k1`),
        () => parseKeyRingConfig(`k1:${encodeKey(key)}`, encodeKey(key)),
        () => createKeyRing({ keys: [{ kid: encodeKey(key), key: key.subarray(1), status: "active" }] }),
      ];
      if (mode === "wrapped") failures.push(() => enc.decrypt({ ...env, dk: flipBit(env.dk ?? "") }, AAD));
      for (const fail of failures) {
        const error = thrownBy(fail);
        expect(isSecurityError(error), String(error)).toBe(true);
        const err = error as SecurityError;
        expect(err.cause).toBeUndefined();
        const rendered = [
          err.message,
          err.stack,
          String(err),
          JSON.stringify(err),
          JSON.stringify(Object.entries(err)),
        ];
        for (const text of rendered) for (const secret of secrets) expect(text).not.toContain(secret);
      }
    });
  }
});
