import { createCipheriv, createDecipheriv, randomBytes as nodeRandomBytes } from "node:crypto";
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { SecurityError } from "./errors.js";
import { KEY_BYTES, type KeyRing } from "./key-ring.js";

const IV_BYTES = 12;
const TAG_BYTES = 16;
const FIELDS = new Set(["v", "kid", "iv", "tag", "ct", "dk"]);

/**
 * AES-256-GCM envelope stored in `*_envelope` jsonb columns. All binary fields are base64url.
 * `dk` (wrapped mode only) is the per-record data key encrypted by the key-encryption key:
 * base64url(iv(12) ‖ tag(16) ‖ ct(32)).
 */
export interface EncryptedEnvelopeV1 {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
  dk?: string;
}

export type EnvelopeMode = "direct" | "wrapped";

export interface EnvelopeEncryptor {
  encrypt(plaintext: Uint8Array | string, aad: string): EncryptedEnvelopeV1;
  decrypt(envelope: EncryptedEnvelopeV1 | unknown, aad: string): Buffer;
  decryptString(envelope: EncryptedEnvelopeV1 | unknown, aad: string): string;
  encryptJson(value: unknown, aad: string): EncryptedEnvelopeV1;
  decryptJson<T>(envelope: EncryptedEnvelopeV1 | unknown, aad: string): T;
  /** True when the envelope was written with a key other than the active one. */
  needsReencryption(envelope: EncryptedEnvelopeV1): boolean;
  /** Decrypts with the old key and encrypts with the active one; unchanged if already current. */
  reencrypt(envelope: EncryptedEnvelopeV1, aad: string): EncryptedEnvelopeV1;
}

export interface EnvelopeEncryptorOptions {
  keyRing: KeyRing;
  mode?: EnvelopeMode;
  /** Injectable for known-answer tests; defaults to crypto.randomBytes. */
  randomBytes?: (n: number) => Uint8Array;
}

const invalid = (why: string) => new SecurityError("ERR_ENVELOPE_INVALID", `Invalid envelope: ${why}.`);
const decryptFailed = () =>
  new SecurityError(
    "ERR_DECRYPT_FAILED",
    "Decryption failed: wrong key, tampered data or mismatched associated data.",
  );

function requireAad(aad: string): Buffer {
  if (typeof aad !== "string" || aad.length === 0)
    throw invalid("associated data must be a non-empty string");
  return Buffer.from(aad, "utf8");
}

/** Strict shape check of stored data; rejects unknown fields so nothing rides along unnoticed. */
export function parseEnvelope(value: unknown): EncryptedEnvelopeV1 {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("not an object");
  const e = value as Record<string, unknown>;
  for (const key of Object.keys(e))
    if (!FIELDS.has(key)) throw invalid(`unknown field "${key.slice(0, 32)}"`);
  if (e.v !== 1) throw invalid("unsupported version");
  if (typeof e.kid !== "string" || e.kid.length === 0 || e.kid.length > 64) throw invalid("bad kid");
  const iv = typeof e.iv === "string" ? fromBase64Url(e.iv) : undefined;
  if (!iv || iv.length !== IV_BYTES) throw invalid("bad iv");
  const tag = typeof e.tag === "string" ? fromBase64Url(e.tag) : undefined;
  if (!tag || tag.length !== TAG_BYTES) throw invalid("bad tag");
  if (typeof e.ct !== "string" || !fromBase64Url(e.ct)) throw invalid("bad ciphertext");
  if (e.dk !== undefined) {
    const dk = typeof e.dk === "string" ? fromBase64Url(e.dk) : undefined;
    if (!dk || dk.length !== IV_BYTES + TAG_BYTES + KEY_BYTES) throw invalid("bad wrapped data key");
  }
  return e as unknown as EncryptedEnvelopeV1;
}

export function isEncryptedEnvelopeV1(value: unknown): value is EncryptedEnvelopeV1 {
  try {
    parseEnvelope(value);
    return true;
  } catch {
    return false;
  }
}

function seal(key: Uint8Array, iv: Uint8Array, plaintext: Uint8Array, aad: Buffer) {
  const cipher = createCipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { ct, tag: cipher.getAuthTag() };
}

function open(key: Uint8Array, iv: Uint8Array, ct: Uint8Array, tag: Uint8Array, aad: Buffer): Buffer {
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw decryptFailed();
  }
}

export function createEnvelopeEncryptor(options: EnvelopeEncryptorOptions): EnvelopeEncryptor {
  const { keyRing } = options;
  const mode = options.mode ?? "direct";
  const random = options.randomBytes ?? ((n: number) => nodeRandomBytes(n));

  function encrypt(plaintext: Uint8Array | string, aad: string): EncryptedEnvelopeV1 {
    const aadBytes = requireAad(aad);
    const data = typeof plaintext === "string" ? Buffer.from(plaintext, "utf8") : plaintext;
    const kid = keyRing.activeKid;
    const kek = keyRing.get(kid);
    if (mode === "direct") {
      const iv = random(IV_BYTES);
      const { ct, tag } = seal(kek, iv, data, aadBytes);
      return { v: 1, kid, iv: toBase64Url(iv), tag: toBase64Url(tag), ct: toBase64Url(ct) };
    }
    const dataKey = random(KEY_BYTES);
    const iv = random(IV_BYTES);
    const { ct, tag } = seal(dataKey, iv, data, aadBytes);
    const wrapIv = random(IV_BYTES);
    const wrapped = seal(kek, wrapIv, dataKey, aadBytes);
    const dk = Buffer.concat([wrapIv, wrapped.tag, wrapped.ct]);
    return {
      v: 1,
      kid,
      iv: toBase64Url(iv),
      tag: toBase64Url(tag),
      ct: toBase64Url(ct),
      dk: toBase64Url(dk),
    };
  }

  function decrypt(value: EncryptedEnvelopeV1 | unknown, aad: string): Buffer {
    const aadBytes = requireAad(aad);
    const e = parseEnvelope(value);
    const kek = keyRing.get(e.kid);
    const iv = fromBase64Url(e.iv) as Buffer;
    const tag = fromBase64Url(e.tag) as Buffer;
    const ct = fromBase64Url(e.ct) as Buffer;
    let key: Uint8Array = kek;
    if (e.dk !== undefined) {
      const dk = fromBase64Url(e.dk) as Buffer;
      key = open(
        kek,
        dk.subarray(0, IV_BYTES),
        dk.subarray(IV_BYTES + TAG_BYTES),
        dk.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
        aadBytes,
      );
    }
    return open(key, iv, ct, tag, aadBytes);
  }

  const utf8 = new TextDecoder("utf-8", { fatal: true });
  function decryptString(value: EncryptedEnvelopeV1 | unknown, aad: string): string {
    const bytes = decrypt(value, aad);
    try {
      return utf8.decode(bytes);
    } catch {
      throw decryptFailed();
    }
  }

  return {
    encrypt,
    decrypt,
    decryptString,
    encryptJson: (value, aad) => encrypt(JSON.stringify(value), aad),
    decryptJson: <T>(value: EncryptedEnvelopeV1 | unknown, aad: string) =>
      JSON.parse(decryptString(value, aad)) as T,
    needsReencryption: (envelope) => envelope.kid !== keyRing.activeKid,
    reencrypt(envelope, aad) {
      if (envelope.kid === keyRing.activeKid) return envelope;
      return encrypt(decrypt(envelope, aad), aad);
    },
  };
}
