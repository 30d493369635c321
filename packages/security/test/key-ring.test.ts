import { describe, expect, it } from "vitest";
import {
  createKeyRing,
  decodeKey,
  encodeKey,
  generateKey,
  type KeyEntry,
  parseKeyRingConfig,
} from "../src/index.js";
import { expectSecurityError } from "./helpers.js";

describe("createKeyRing", () => {
  const key = generateKey();
  const entry = (kid: string, status: KeyEntry["status"], extra: Partial<KeyEntry> = {}): KeyEntry => ({
    kid,
    key: generateKey(),
    status,
    ...extra,
  });

  it("looks keys up by kid and lists them in configured order", () => {
    const ring = createKeyRing({ keys: [{ kid: "b", key, status: "active" }, entry("a", "decrypt_only")] });
    expect(ring.activeKid).toBe("b");
    expect(ring.has("b")).toBe(true);
    expect(ring.has("zz")).toBe(false);
    expect(Buffer.from(ring.get("b")).equals(key)).toBe(true);
    expect(ring.kids()).toEqual(["b", "a"]);
    expectSecurityError(() => ring.get("zz"), "ERR_KEY_UNKNOWN");
  });

  it("copies key material so later changes to the caller's buffer do not affect it", () => {
    const mine = Buffer.from(key);
    const ring = createKeyRing({ keys: [{ kid: "a", key: mine, status: "active" }] });
    mine.fill(0);
    expect(Buffer.from(ring.get("a")).equals(key)).toBe(true);
  });

  it.each<[string, KeyEntry[]]>([
    ["an empty ring", []],
    ["no active key", [entry("a", "decrypt_only")]],
    ["two active keys", [entry("a", "active"), entry("b", "active")]],
    ["a duplicate kid", [entry("a", "active"), entry("a", "decrypt_only")]],
    ["an unknown status", [entry("a", "active"), entry("b", "retired" as "active")]],
  ])("refuses %s with ERR_KEYRING_INVALID", (_name, keys) => {
    expectSecurityError(() => createKeyRing({ keys }), "ERR_KEYRING_INVALID");
  });

  it.each<[string, KeyEntry]>([
    ["a kid with a space", entry("bad kid", "active")],
    ["an empty kid", entry("", "active")],
    ["a 65-character kid", entry("k".repeat(65), "active")],
    ["a kid that is a base64url key", entry(encodeKey(generateKey()), "active")],
    ["a 16-byte key", { kid: "a", key: key.subarray(0, 16), status: "active" }],
    ["a 33-byte key", { kid: "a", key: Buffer.concat([key, Buffer.from([0])]), status: "active" }],
    ["a key given as a string", { kid: "a", key: encodeKey(key) as unknown as Uint8Array, status: "active" }],
    ["a negative version", entry("a", "active", { version: -1 })],
    ["a fractional version", entry("a", "active", { version: 1.5 })],
  ])("refuses %s with ERR_KEY_INVALID", (_name, bad) => {
    expectSecurityError(() => createKeyRing({ keys: [bad] }), "ERR_KEY_INVALID");
  });

  it("accepts every allowed kid character and a 64-character kid", () => {
    for (const kid of ["A-z_0.9", "k".repeat(64), "2026-01.primary"]) {
      expect(createKeyRing({ keys: [entry(kid, "active", { version: 3 })] }).activeKid).toBe(kid);
    }
  });
});

describe("parseKeyRingConfig", () => {
  const k1 = encodeKey(generateKey());
  const k2 = encodeKey(generateKey());

  it("makes the first key active and the others decrypt-only", () => {
    const ring = parseKeyRingConfig(`k2:${k2},k1:${k1}`);
    expect(ring.activeKid).toBe("k2");
    expect(ring.kids()).toEqual(["k2", "k1"]);
    expect(ring.get("k1")).toEqual(decodeKey(k1));
  });

  it("makes the named key active when asked, tolerating whitespace and a trailing comma", () => {
    expect(parseKeyRingConfig(` k2:${k2} ,\n k1:${k1} ,`, "k1").activeKid).toBe("k1");
  });

  it("accepts standard base64, padded or not", () => {
    const std = Buffer.from(k1, "base64url").toString("base64");
    expect(std).toMatch(/=$/);
    expect(parseKeyRingConfig(`k1:${std}`).get("k1")).toEqual(decodeKey(k1));
    expect(parseKeyRingConfig(`k1:${std.replace(/=+$/, "")}`).get("k1")).toEqual(decodeKey(k1));
  });

  it.each([
    ["nothing", "", "ERR_KEYRING_INVALID"],
    ["only commas", " , ,", "ERR_KEYRING_INVALID"],
    ["an unknown active kid", `k1:${k1}`, "ERR_KEYRING_INVALID", "k9"],
    ["a duplicate kid", `k1:${k1},k1:${k2}`, "ERR_KEYRING_INVALID"],
    ["a key without kid", k1, "ERR_KEY_INVALID"],
    ["an empty key", "k1:", "ERR_KEY_INVALID"],
    ["a bad kid", `k 1:${k1}`, "ERR_KEY_INVALID"],
  ] as const)("refuses %s", (_name, config, code, active?: string) => {
    expectSecurityError(() => parseKeyRingConfig(config, active), code);
  });

  // The whole point of these messages: an operator can find the bad entry, a log cannot leak it.
  it.each([
    ["a 20-byte key", () => encodeKey(generateKey()).slice(0, 27)],
    [
      "a 48-byte key",
      () => Buffer.concat([generateKey(), generateKey()]).subarray(0, 48).toString("base64url"),
    ],
    ["a key with invalid characters", () => `${k2.slice(0, 40)}!!?`],
  ])("names the kid but never the key value for %s", (_name, makeBad) => {
    const bad = makeBad();
    const err = expectSecurityError(() => parseKeyRingConfig(`good:${k1},weak:${bad}`), "ERR_KEY_INVALID");
    expect(err.message).toContain('"weak"');
    expect(err.message).not.toContain(bad);
    expect(err.message).not.toContain(k1);
  });

  it("does not echo a key written where the kid belongs (key:kid)", () => {
    const err = expectSecurityError(() => parseKeyRingConfig(`${k1}:k1`), "ERR_KEY_INVALID");
    expect(err.message).not.toContain(k1);
    expect(err.message).toContain("#1");
  });
});

describe("key encoding", () => {
  it("generates distinct 32-byte keys and round-trips them through base64url", () => {
    const key = generateKey();
    expect(key).toHaveLength(32);
    expect(generateKey().equals(key)).toBe(false);
    const text = encodeKey(key);
    expect(text).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(decodeKey(text).equals(key)).toBe(true);
  });

  it("refuses to encode or decode anything but 32 bytes", () => {
    expectSecurityError(() => encodeKey(new Uint8Array(16)), "ERR_KEY_INVALID");
    expectSecurityError(() => decodeKey(Buffer.alloc(31).toString("base64url")), "ERR_KEY_INVALID");
    expectSecurityError(() => decodeKey("not base64 at all"), "ERR_KEY_INVALID");
  });
});
