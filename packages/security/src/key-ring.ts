import { randomBytes } from "node:crypto";
import { fromBase64Url, toBase64Url } from "./encoding.js";
import { SecurityError } from "./errors.js";

export const KEY_BYTES = 32;
const KID = /^[A-Za-z0-9._-]{1,64}$/;

export type KeyStatus = "active" | "decrypt_only";

export interface KeyEntry {
  kid: string;
  key: Uint8Array;
  status: KeyStatus;
  version?: number;
}

/** Many keys readable, exactly one writing (the active one). */
export interface KeyRing {
  readonly activeKid: string;
  get(kid: string): Uint8Array;
  has(kid: string): boolean;
  kids(): string[];
}

export function createKeyRing(options: { keys: KeyEntry[] }): KeyRing {
  const { keys } = options;
  if (!Array.isArray(keys) || keys.length === 0) {
    throw new SecurityError("ERR_KEYRING_INVALID", "The key ring has no keys.");
  }
  const byKid = new Map<string, Buffer>();
  const active: string[] = [];
  for (const entry of keys) {
    if (typeof entry.kid !== "string" || !KID.test(entry.kid)) {
      throw new SecurityError("ERR_KEY_INVALID", "A key id must match [A-Za-z0-9._-]{1,64}.");
    }
    if (!(entry.key instanceof Uint8Array) || entry.key.length !== KEY_BYTES) {
      throw new SecurityError("ERR_KEY_INVALID", `Key "${entry.kid}" must be exactly ${KEY_BYTES} bytes.`);
    }
    if (byKid.has(entry.kid))
      throw new SecurityError("ERR_KEYRING_INVALID", `Key id "${entry.kid}" appears twice.`);
    byKid.set(entry.kid, Buffer.from(entry.key));
    if (entry.status === "active") active.push(entry.kid);
    else if (entry.status !== "decrypt_only") {
      throw new SecurityError("ERR_KEYRING_INVALID", `Key "${entry.kid}" has an unknown status.`);
    }
  }
  if (active.length !== 1) {
    throw new SecurityError(
      "ERR_KEYRING_INVALID",
      `The key ring needs exactly one active key (found ${active.length}).`,
    );
  }
  const activeKid = active[0] as string;
  return {
    activeKid,
    get(kid) {
      const key = byKid.get(kid);
      if (!key)
        throw new SecurityError(
          "ERR_KEY_UNKNOWN",
          `No key with id "${String(kid).slice(0, 64)}" is configured.`,
        );
      return key;
    },
    has: (kid) => byKid.has(kid),
    kids: () => [...byKid.keys()],
  };
}

/**
 * Parses `kid:key,kid:key` (keys in base64url or base64, 32 bytes). The first key is active
 * unless `activeKid` names another. Errors name the kid, never the key.
 */
export function parseKeyRingConfig(text: string, activeKid?: string): KeyRing {
  const parts = String(text ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0)
    throw new SecurityError("ERR_KEYRING_INVALID", "No encryption keys are configured.");
  const entries = parts.map((part, index) => {
    const sep = part.indexOf(":");
    if (sep <= 0) throw new SecurityError("ERR_KEY_INVALID", `Key #${index + 1} must be written as kid:key.`);
    const kid = part.slice(0, sep);
    const key = decodeKey(part.slice(sep + 1), kid);
    return { kid, key, status: "decrypt_only" as KeyStatus };
  });
  const wanted = activeKid ?? entries[0]?.kid;
  const chosen = entries.find((e) => e.kid === wanted);
  if (!chosen)
    throw new SecurityError("ERR_KEYRING_INVALID", `The active key id "${wanted}" is not in the key list.`);
  chosen.status = "active";
  return createKeyRing({ keys: entries });
}

export function generateKey(): Buffer {
  return randomBytes(KEY_BYTES);
}

export function encodeKey(key: Uint8Array): string {
  return toBase64Url(key);
}

/** Accepts base64url or standard base64 (with or without padding); exactly 32 bytes. */
export function decodeKey(text: string, kid = "?"): Buffer {
  const normalised = text.trim().replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const key = fromBase64Url(normalised);
  if (!key || key.length !== KEY_BYTES) {
    throw new SecurityError("ERR_KEY_INVALID", `Key "${kid}" must be ${KEY_BYTES} bytes of base64url.`);
  }
  return key;
}
