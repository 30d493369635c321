import { randomBytes } from "node:crypto";
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { SecurityError } from "./errors.js";

/** AES-256 key length. */
export const KEY_BYTES = 32;
const KID = /^[A-Za-z0-9._-]{1,64}$/;
const KID_RULE = "Key ids match [A-Za-z0-9._-]{1,64} and must not look like key material.";

export type KeyStatus = "active" | "decrypt_only";

export interface KeyEntry {
  kid: string;
  key: Uint8Array;
  status: KeyStatus;
  /** Informational (e.g. for an operator's inventory); must be a non-negative integer if set. */
  version?: number;
}

/** Many keys readable, exactly one writing (the active one). */
export interface KeyRing {
  readonly activeKid: string;
  /** The key bytes for `kid`; throws ERR_KEY_UNKNOWN. Callers must not modify the result. */
  get(kid: string): Uint8Array;
  has(kid: string): boolean;
  /** Key ids in the order they were configured. */
  kids(): string[];
}

/**
 * `[A-Za-z0-9._-]{1,64}`, and not itself 32 bytes of base64url: key ids are echoed in error
 * messages, so one that could be a key pasted into the wrong place (`key:kid`) is refused.
 */
export function isValidKid(kid: unknown): kid is string {
  return typeof kid === "string" && KID.test(kid) && fromBase64Url(kid)?.length !== KEY_BYTES;
}

export function createKeyRing(options: { keys: readonly KeyEntry[] }): KeyRing {
  const keys = options?.keys;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new SecurityError("ERR_KEYRING_INVALID", "The key ring has no keys.");
  }
  const byKid = new Map<string, Buffer>();
  const active: string[] = [];
  for (const entry of keys) {
    // The kid is not echoed here: a malformed one may be a key pasted into the wrong slot.
    if (!isValidKid(entry.kid))
      throw new SecurityError("ERR_KEY_INVALID", `A key id is invalid. ${KID_RULE}`);
    if (!(entry.key instanceof Uint8Array) || entry.key.length !== KEY_BYTES) {
      throw new SecurityError("ERR_KEY_INVALID", `Key "${entry.kid}" must be exactly ${KEY_BYTES} bytes.`);
    }
    if (entry.version !== undefined && !(Number.isSafeInteger(entry.version) && entry.version >= 0)) {
      throw new SecurityError("ERR_KEY_INVALID", `Key "${entry.kid}" has an invalid version.`);
    }
    if (byKid.has(entry.kid)) {
      throw new SecurityError("ERR_KEYRING_INVALID", `Key id "${entry.kid}" appears twice.`);
    }
    if (entry.status === "active") active.push(entry.kid);
    else if (entry.status !== "decrypt_only") {
      throw new SecurityError("ERR_KEYRING_INVALID", `Key "${entry.kid}" has an unknown status.`);
    }
    // Copied so a caller reusing or wiping its buffer cannot change the ring afterwards.
    byKid.set(entry.kid, Buffer.from(entry.key));
  }
  const [activeKid, ...extra] = active;
  if (activeKid === undefined || extra.length > 0) {
    throw new SecurityError(
      "ERR_KEYRING_INVALID",
      `The key ring needs exactly one active key (found ${active.length}).`,
    );
  }
  return {
    activeKid,
    get(kid) {
      const key = byKid.get(kid);
      if (!key) {
        const shown = isValidKid(kid) ? `"${kid}"` : "(malformed)";
        throw new SecurityError("ERR_KEY_UNKNOWN", `No key with id ${shown} is configured.`);
      }
      return key;
    },
    has: (kid) => byKid.has(kid),
    kids: () => [...byKid.keys()],
  };
}

/**
 * Parses `kid:key,kid:key` (each key 32 bytes in base64url or standard base64), typically from
 * an environment variable. The first key is active unless `activeKid` names another; the rest
 * are decrypt-only. Errors name the kid (or the entry's position), never the key.
 */
export function parseKeyRingConfig(text: string, activeKid?: string): KeyRing {
  const parts = String(text ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
  if (parts.length === 0) {
    throw new SecurityError("ERR_KEYRING_INVALID", "No encryption keys are configured.");
  }
  const entries: KeyEntry[] = parts.map((part, index) => {
    const position = `Key entry #${index + 1}`;
    const sep = part.indexOf(":");
    if (sep <= 0) throw new SecurityError("ERR_KEY_INVALID", `${position} must be written as kid:key.`);
    const kid = part.slice(0, sep).trim();
    if (!isValidKid(kid))
      throw new SecurityError("ERR_KEY_INVALID", `${position} has an invalid key id. ${KID_RULE}`);
    return { kid, key: decodeKey(part.slice(sep + 1), kid), status: "decrypt_only" };
  });
  const wanted = activeKid ?? entries[0]?.kid;
  const chosen = entries.find((entry) => entry.kid === wanted);
  if (!chosen) {
    const shown = isValidKid(wanted) ? `"${wanted}"` : "(malformed)";
    throw new SecurityError("ERR_KEYRING_INVALID", `The active key id ${shown} is not in the key list.`);
  }
  chosen.status = "active";
  return createKeyRing({ keys: entries });
}

/** A fresh random AES-256 key. */
export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

/** base64url, the format `parseKeyRingConfig` reads. */
export function encodeKey(key: Uint8Array): string {
  if (!(key instanceof Uint8Array) || key.length !== KEY_BYTES) {
    throw new SecurityError("ERR_KEY_INVALID", `A key must be exactly ${KEY_BYTES} bytes.`);
  }
  return toBase64Url(key);
}

/**
 * Accepts base64url or standard base64 (with or without padding) of exactly 32 bytes. `kid` only
 * labels the error message; the text itself is never echoed.
 */
export function decodeKey(text: string, kid?: string): Buffer {
  const normalised = String(text ?? "")
    .trim()
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
  const key = fromBase64Url(normalised);
  if (!key || key.length !== KEY_BYTES) {
    const label = isValidKid(kid) ? `Key "${kid}"` : "A key";
    throw new SecurityError("ERR_KEY_INVALID", `${label} must be ${KEY_BYTES} bytes of base64url or base64.`);
  }
  return key;
}
