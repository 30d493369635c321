import { describe, expect, it } from "vitest";
import { gcmOpen, gcmSeal } from "../src/aes-gcm.js";
import { createEnvelopeEncryptor, type EncryptedEnvelopeV1 } from "../src/index.js";
import { expectSecurityError, fixedRandom, hex, singleKeyRing } from "./helpers.js";

/**
 * AES-256-GCM test cases 13–16 of McGrew & Viega, "The Galois/Counter Mode of Operation"
 * (the NIST GCM submission). Cases 13–15 have no AAD and case 16's AAD is not UTF-8, while the
 * public encryptor always binds a non-empty string. So: the full vectors (ciphertext and tag, both
 * directions) are checked against the internal primitive the encryptor is built on, and the
 * encryptor itself is checked with the IV fixed through `randomBytes`: it must place that IV in the
 * envelope, produce the vector's ciphertext (GCM's keystream does not depend on the AAD) and the
 * primitive's tag for its string AAD.
 */
const K0 = Buffer.alloc(32);
const IV0 = Buffer.alloc(12);
const K15 = hex("feffe9928665731c6d6a8f9467308308 feffe9928665731c6d6a8f9467308308");
const IV15 = hex("cafebabefacedbaddecaf888");
const P15 = hex(`d9313225f88406e5a55909c5aff5269a 86a7a9531534f7da2e4c303d8a318a72
                 1c3c0c95956809532fcf0e2449a6b525 b16aedf5aa0de657ba637b391aafd255`);
const C15 = hex(`522dc1f099567d07f47f37a32a84427d 643a8cdcbfe5c0c97598a2bd2555d1aa
                 8cb08e48590dbb3da7b08b1056828838 c5f61e6393ba7a0abcc9f662898015ad`);

const CASES = [
  {
    name: "13",
    key: K0,
    iv: IV0,
    p: Buffer.alloc(0),
    a: Buffer.alloc(0),
    c: Buffer.alloc(0),
    t: "530f8afbc74536b9a963b4f1c4cb738b",
  },
  {
    name: "14",
    key: K0,
    iv: IV0,
    p: Buffer.alloc(16),
    a: Buffer.alloc(0),
    c: hex("cea7403d4d606b6e074ec5d3baf39d18"),
    t: "d0d1c8a799996bf0265b98b5d48ab919",
  },
  {
    name: "15",
    key: K15,
    iv: IV15,
    p: P15,
    a: Buffer.alloc(0),
    c: C15,
    t: "b094dac5d93471bdec1a502270e3cc6c",
  },
  {
    name: "16",
    key: K15,
    iv: IV15,
    p: P15.subarray(0, 60),
    a: hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"),
    c: C15.subarray(0, 60),
    t: "76fc6ece0f4e1768cddf8853bb2d551b",
  },
];

describe("AES-256-GCM known answers (McGrew & Viega test cases 13–16)", () => {
  it.each(CASES)("case $name: the primitive matches in both directions", ({ key, iv, p, a, c, t }) => {
    const { ct, tag } = gcmSeal(key, iv, p, a);
    expect(ct.toString("hex")).toBe(c.toString("hex"));
    expect(tag.toString("hex")).toBe(t);
    expect(gcmOpen(key, iv, c, hex(t), a).equals(p)).toBe(true);
    const badTag = hex(t);
    badTag[15] = (badTag[15] ?? 0) ^ 1;
    expectSecurityError(() => gcmOpen(key, iv, c, badTag, a), "ERR_DECRYPT_FAILED");
  });

  it.each(CASES)(
    "case $name: the encryptor uses the fixed IV, key and AAD unchanged",
    ({ key, iv, p, c }) => {
      const aad = "kat:row:workspace";
      const enc = createEnvelopeEncryptor({
        keyRing: singleKeyRing(key, "kat"),
        randomBytes: fixedRandom(iv),
      });
      const env = enc.encrypt(p, aad);
      expect(env.iv).toBe(iv.toString("base64url"));
      expect(Buffer.from(env.ct, "base64url").toString("hex")).toBe(c.toString("hex"));
      expect(env.tag).toBe(gcmSeal(key, iv, p, Buffer.from(aad)).tag.toString("base64url"));
      expect(enc.decrypt(env, aad).equals(p)).toBe(true);
    },
  );

  it("case 15 through wrapped mode: the data key and IV come from randomBytes", () => {
    const wrapIv = Buffer.alloc(12, 9);
    const kek = Buffer.alloc(32, 7);
    const enc = createEnvelopeEncryptor({
      keyRing: singleKeyRing(kek, "kat"),
      mode: "wrapped",
      randomBytes: fixedRandom(K15, IV15, wrapIv),
    });
    const env = enc.encrypt(P15, "kat:row:workspace");
    expect(Buffer.from(env.ct, "base64url").equals(C15)).toBe(true);
    const dk = Buffer.from(env.dk ?? "", "base64url");
    expect(dk.subarray(0, 12).equals(wrapIv)).toBe(true);
    const unwrapped = gcmOpen(
      kek,
      wrapIv,
      dk.subarray(28),
      dk.subarray(12, 28),
      Buffer.from("kat:row:workspace"),
    );
    expect(unwrapped.equals(K15)).toBe(true);
  });
});

/**
 * Frozen wire format: stored data must stay readable forever, so any change to how envelopes
 * are written or read has to show up here. Never regenerate these values to make a test pass.
 * Both were cross-checked with Python's `cryptography` AESGCM (key 01…, IV 02… for direct; key
 * 01…, data key 03…, IV 04…, wrapping IV 05… for wrapped; AAD "t_x:1:-").
 */
describe("frozen envelopes", () => {
  const key = Buffer.alloc(32, 1);
  const aad = "t_x:1:-";
  const DIRECT: EncryptedEnvelopeV1 = {
    v: 1,
    kid: "kat",
    iv: "AgICAgICAgICAgIC",
    tag: "bnnTihrFM3WhB7R_Renz6A",
    ct: "ZrGsJz4_qJu6utk",
  };
  const WRAPPED_JSON =
    '{"v":1,"kid":"kat","iv":"BAQEBAQEBAQEBAQE","tag":"tg3sLjb8aDecio99i1rq6Q","ct":"IUB2o9n2bnjwYuU",' +
    '"dk":"BQUFBQUFBQUFBQUFKSJ0aaGdMfT99UvMjKZpqgKh4jZhsTCEdhl7n8KQ9olj-hMuYrZ2aCStYRAFGsOO"}';

  it("direct mode writes exactly the frozen envelope and reads it back", () => {
    const enc = createEnvelopeEncryptor({
      keyRing: singleKeyRing(key, "kat"),
      randomBytes: fixedRandom(Buffer.alloc(12, 2)),
    });
    const env = enc.encrypt("agenthifive", aad);
    expect(env).toEqual(DIRECT);
    expect(JSON.stringify(env)).toBe(
      '{"v":1,"kid":"kat","iv":"AgICAgICAgICAgIC","tag":"bnnTihrFM3WhB7R_Renz6A","ct":"ZrGsJz4_qJu6utk"}',
    );
    expect(enc.decryptString(JSON.parse(JSON.stringify(DIRECT)), aad)).toBe("agenthifive");
  });

  it("wrapped mode writes exactly the frozen envelope and reads it back", () => {
    const enc = createEnvelopeEncryptor({
      keyRing: singleKeyRing(key, "kat"),
      mode: "wrapped",
      randomBytes: fixedRandom(Buffer.alloc(32, 3), Buffer.alloc(12, 4), Buffer.alloc(12, 5)),
    });
    const env = enc.encrypt("agenthifive", aad);
    expect(JSON.stringify(env)).toBe(WRAPPED_JSON);
    expect(enc.decryptString(JSON.parse(WRAPPED_JSON), aad)).toBe("agenthifive");
  });
});
