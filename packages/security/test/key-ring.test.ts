import { describe, expect, it } from "vitest";
import {
  createKeyRing,
  decodeKey,
  encodeKey,
  generateKey,
  parseKeyRingConfig,
  SecurityError,
} from "../src/index.js";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SecurityError) return e.code;
    throw e;
  }
  return undefined;
}

describe("createKeyRing", () => {
  const key = generateKey();
  it("needs exactly one active key", () => {
    expect(codeOf(() => createKeyRing({ keys: [] }))).toBe("ERR_KEYRING_INVALID");
    expect(codeOf(() => createKeyRing({ keys: [{ kid: "a", key, status: "decrypt_only" }] }))).toBe(
      "ERR_KEYRING_INVALID",
    );
    expect(
      codeOf(() =>
        createKeyRing({
          keys: [
            { kid: "a", key, status: "active" },
            { kid: "b", key: generateKey(), status: "active" },
          ],
        }),
      ),
    ).toBe("ERR_KEYRING_INVALID");
  });
  it("refuses duplicate kids, bad kids and keys that are not 32 bytes", () => {
    expect(
      codeOf(() =>
        createKeyRing({
          keys: [
            { kid: "a", key, status: "active" },
            { kid: "a", key, status: "decrypt_only" },
          ],
        }),
      ),
    ).toBe("ERR_KEYRING_INVALID");
    expect(codeOf(() => createKeyRing({ keys: [{ kid: "bad kid!", key, status: "active" }] }))).toBe(
      "ERR_KEY_INVALID",
    );
    expect(
      codeOf(() => createKeyRing({ keys: [{ kid: "a", key: key.subarray(0, 16), status: "active" }] })),
    ).toBe("ERR_KEY_INVALID");
  });
  it("looks keys up by kid", () => {
    const ring = createKeyRing({ keys: [{ kid: "a", key, status: "active" }] });
    expect(ring.activeKid).toBe("a");
    expect(ring.has("a")).toBe(true);
    expect(Buffer.from(ring.get("a")).equals(key)).toBe(true);
    expect(codeOf(() => ring.get("zz"))).toBe("ERR_KEY_UNKNOWN");
    expect(ring.kids()).toEqual(["a"]);
  });
});

describe("parseKeyRingConfig", () => {
  const k1 = encodeKey(generateKey());
  const k2 = encodeKey(generateKey());
  it("makes the first key active unless told otherwise", () => {
    expect(parseKeyRingConfig(`k2:${k2},k1:${k1}`).activeKid).toBe("k2");
    expect(parseKeyRingConfig(`k2:${k2}, k1:${k1}`, "k1").activeKid).toBe("k1");
  });
  it("accepts standard base64 with padding", () => {
    const std = Buffer.from(k1, "base64url").toString("base64");
    expect(parseKeyRingConfig(`k1:${std}`).kids()).toEqual(["k1"]);
  });
  it("names the kid in errors but never the key value", () => {
    const short = encodeKey(generateKey().subarray(0, 20));
    try {
      parseKeyRingConfig(`good:${k1},weak:${short}`);
      expect.unreachable();
    } catch (e) {
      expect((e as SecurityError).code).toBe("ERR_KEY_INVALID");
      expect((e as Error).message).toContain("weak");
      expect((e as Error).message).not.toContain(short);
      expect((e as Error).message).not.toContain(k1);
    }
  });
  it("refuses an empty list, a missing separator and an unknown active kid", () => {
    expect(codeOf(() => parseKeyRingConfig(""))).toBe("ERR_KEYRING_INVALID");
    expect(codeOf(() => parseKeyRingConfig(k1))).toBe("ERR_KEY_INVALID");
    expect(codeOf(() => parseKeyRingConfig(`k1:${k1}`, "k9"))).toBe("ERR_KEYRING_INVALID");
  });
  it("round-trips keys through encodeKey/decodeKey", () => {
    const key = generateKey();
    expect(decodeKey(encodeKey(key)).equals(key)).toBe(true);
  });
});
