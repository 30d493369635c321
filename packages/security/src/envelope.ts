import { randomBytes as nodeRandomBytes } from "node:crypto";
import { gcmOpen, gcmSeal, IV_BYTES, TAG_BYTES } from "./aes-gcm.js";
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { SecurityError } from "./errors.js";
import { isValidKid, KEY_BYTES, type KeyRing } from "./key-ring.js";

/** Length of `dk`: iv ‖ tag ‖ the encrypted 32-byte data key. */
const WRAPPED_KEY_BYTES = IV_BYTES + TAG_BYTES + KEY_BYTES;
const FIELDS: ReadonlySet<string> = new Set(["v", "kid", "iv", "tag", "ct", "dk"]);

/**
 * AES-256-GCM envelope stored in `*_envelope` jsonb columns. All binary fields are unpadded
 * base64url. `dk` (wrapped mode only) is the per-record data key encrypted by the key-encryption
 * key `kid`, as base64url(iv(12) ‖ tag(16) ‖ ct(32)), under the same associated data.
 */
export interface EncryptedEnvelopeV1 {
  v: 1;
  kid: string;
  iv: string;
  tag: string;
  ct: string;
  dk?: string;
}

/** `direct`: the ring key encrypts the data. `wrapped`: a fresh data key per record does. */
export type EnvelopeMode = "direct" | "wrapped";

/**
 * Every method takes the associated data (AAD) naming the owner of the secret, e.g.
 * `"t_connections:<row id>:<workspace id>"`. It must be a non-empty string, otherwise
 * ERR_ENVELOPE_INVALID is thrown: an envelope bound to nothing could be moved anywhere.
 */
export interface EnvelopeEncryptor {
  /** Encrypts with the active key; strings are UTF-8 encoded. */
  encrypt(plaintext: Uint8Array | string, aad: string): EncryptedEnvelopeV1;
  /** Accepts any stored value (validated with `parseEnvelope`), direct or wrapped. */
  decrypt(envelope: unknown, aad: string): Buffer;
  /** Like `decrypt`, then strict UTF-8 decoding (invalid UTF-8 → ERR_DECRYPT_FAILED). */
  decryptString(envelope: unknown, aad: string): string;
  encryptJson(value: unknown, aad: string): EncryptedEnvelopeV1;
  /** Invalid JSON → ERR_DECRYPT_FAILED. The result is not validated: check its shape. */
  decryptJson<T = unknown>(envelope: unknown, aad: string): T;
  /** True when the envelope was written with a key other than the active one. */
  needsReencryption(envelope: EncryptedEnvelopeV1): boolean;
  /** Decrypts with the old key and encrypts with the active one; the same object if current. */
  reencrypt(envelope: EncryptedEnvelopeV1, aad: string): EncryptedEnvelopeV1;
}

export interface EnvelopeEncryptorOptions {
  keyRing: KeyRing;
  /** How new envelopes are written (default "direct"); decryption handles both. */
  mode?: EnvelopeMode;
  /** Injectable for known-answer tests; defaults to crypto.randomBytes. */
  randomBytes?: (n: number) => Uint8Array;
}

interface DecodedEnvelope {
  envelope: EncryptedEnvelopeV1;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
  dk: Buffer | undefined;
}

const invalid = (why: string) => new SecurityError("ERR_ENVELOPE_INVALID", `Invalid envelope: ${why}.`);

function decodeEnvelope(value: unknown): DecodedEnvelope {
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw invalid("not an object");
  const e = value as Record<string, unknown>;
  // Unknown fields are refused so nothing (a stray plaintext copy, say) rides along unnoticed.
  for (const field of Object.keys(e)) if (!FIELDS.has(field)) throw invalid("unknown field");
  if (e.v !== 1) throw invalid("unsupported version");
  if (!isValidKid(e.kid)) throw invalid("bad kid");
  const iv = typeof e.iv === "string" ? fromBase64Url(e.iv) : undefined;
  if (iv?.length !== IV_BYTES) throw invalid("bad iv");
  const tag = typeof e.tag === "string" ? fromBase64Url(e.tag) : undefined;
  if (tag?.length !== TAG_BYTES) throw invalid("bad tag");
  const ct = typeof e.ct === "string" ? fromBase64Url(e.ct) : undefined;
  if (!ct) throw invalid("bad ciphertext");
  let dk: Buffer | undefined;
  if (e.dk !== undefined) {
    dk = typeof e.dk === "string" ? fromBase64Url(e.dk) : undefined;
    if (dk?.length !== WRAPPED_KEY_BYTES) throw invalid("bad wrapped data key");
  }
  return { envelope: e as unknown as EncryptedEnvelopeV1, iv, tag, ct, dk };
}

/** Strict validation of a stored value (ERR_ENVELOPE_INVALID); returns the same object. */
export function parseEnvelope(value: unknown): EncryptedEnvelopeV1 {
  return decodeEnvelope(value).envelope;
}

export function isEncryptedEnvelopeV1(value: unknown): value is EncryptedEnvelopeV1 {
  try {
    decodeEnvelope(value);
    return true;
  } catch {
    return false;
  }
}

// A lone UTF-16 surrogate would be encoded as U+FFFD, so two different strings would give the
// same bytes: refused rather than silently merged.
const LONE_SURROGATE = /\p{Cs}/u;

function aadBytes(aad: string): Buffer {
  if (typeof aad !== "string" || aad.length === 0 || LONE_SURROGATE.test(aad)) {
    throw invalid("associated data must be a non-empty, well-formed string");
  }
  return Buffer.from(aad, "utf8");
}

function plaintextBytes(plaintext: Uint8Array | string): Uint8Array {
  if (plaintext instanceof Uint8Array) return plaintext;
  if (typeof plaintext !== "string") throw new TypeError("plaintext must be a string or a Uint8Array");
  if (LONE_SURROGATE.test(plaintext)) throw new TypeError("plaintext string is not well-formed Unicode");
  return Buffer.from(plaintext, "utf8");
}

export function createEnvelopeEncryptor(options: EnvelopeEncryptorOptions): EnvelopeEncryptor {
  const { keyRing } = options;
  const mode = options.mode ?? "direct";
  if (mode !== "direct" && mode !== "wrapped") throw new TypeError('mode must be "direct" or "wrapped"');
  const random = options.randomBytes ?? nodeRandomBytes;

  // Copies into a buffer we own; a wrong length would otherwise surface only when reading back.
  // Wrapped mode draws, in this order: data key (32), data IV (12), wrapping IV (12).
  function draw(n: number): Buffer {
    const bytes = random(n);
    if (!(bytes instanceof Uint8Array) || bytes.length !== n) {
      throw new TypeError(`randomBytes(${n}) must return ${n} bytes`);
    }
    return Buffer.from(bytes);
  }

  function encrypt(plaintext: Uint8Array | string, aad: string): EncryptedEnvelopeV1 {
    const ad = aadBytes(aad);
    const data = plaintextBytes(plaintext);
    const kid = keyRing.activeKid;
    const kek = keyRing.get(kid);
    if (mode === "direct") {
      const iv = draw(IV_BYTES);
      const { ct, tag } = gcmSeal(kek, iv, data, ad);
      return { v: 1, kid, iv: toBase64Url(iv), tag: toBase64Url(tag), ct: toBase64Url(ct) };
    }
    const dataKey = draw(KEY_BYTES);
    try {
      const iv = draw(IV_BYTES);
      const { ct, tag } = gcmSeal(dataKey, iv, data, ad);
      // The data key is wrapped under the same AAD, so it cannot be lifted onto another record.
      const wrapIv = draw(IV_BYTES);
      const wrapped = gcmSeal(kek, wrapIv, dataKey, ad);
      const dk = Buffer.concat([wrapIv, wrapped.tag, wrapped.ct]);
      return {
        v: 1,
        kid,
        iv: toBase64Url(iv),
        tag: toBase64Url(tag),
        ct: toBase64Url(ct),
        dk: toBase64Url(dk),
      };
    } finally {
      dataKey.fill(0); // best effort: JS gives no guarantee, but don't leave it around needlessly
    }
  }

  function decrypt(value: unknown, aad: string): Buffer {
    const ad = aadBytes(aad);
    const { envelope, iv, tag, ct, dk } = decodeEnvelope(value);
    const kek = keyRing.get(envelope.kid);
    if (dk === undefined) return gcmOpen(kek, iv, ct, tag, ad);
    const dataKey = gcmOpen(
      kek,
      dk.subarray(0, IV_BYTES),
      dk.subarray(IV_BYTES + TAG_BYTES),
      dk.subarray(IV_BYTES, IV_BYTES + TAG_BYTES),
      ad,
    );
    try {
      return gcmOpen(dataKey, iv, ct, tag, ad);
    } finally {
      dataKey.fill(0);
    }
  }

  const utf8 = new TextDecoder("utf-8", { fatal: true });
  function decryptString(value: unknown, aad: string): string {
    const bytes = decrypt(value, aad);
    try {
      return utf8.decode(bytes);
    } catch {
      throw new SecurityError("ERR_DECRYPT_FAILED", "Decrypted payload is not valid UTF-8.");
    } finally {
      bytes.fill(0);
    }
  }

  return {
    encrypt,
    decrypt,
    decryptString,
    encryptJson(value, aad) {
      const json = JSON.stringify(value);
      if (json === undefined) throw new TypeError("value is not JSON-serialisable");
      return encrypt(json, aad);
    },
    decryptJson<T = unknown>(value: unknown, aad: string): T {
      const json = decryptString(value, aad);
      try {
        return JSON.parse(json) as T;
      } catch {
        // JSON.parse's own message quotes the input, i.e. the plaintext: never let it out.
        throw new SecurityError("ERR_DECRYPT_FAILED", "Decrypted payload is not valid JSON.");
      }
    },
    needsReencryption: (envelope) => parseEnvelope(envelope).kid !== keyRing.activeKid,
    reencrypt(envelope, aad) {
      if (parseEnvelope(envelope).kid === keyRing.activeKid) return envelope;
      const plaintext = decrypt(envelope, aad);
      try {
        return encrypt(plaintext, aad);
      } finally {
        plaintext.fill(0);
      }
    },
  };
}
