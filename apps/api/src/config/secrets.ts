import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { encodeKey, generateKey } from "@agenthifive/security";
import type { Config } from "./config.js";

export interface Secrets {
  /** Better Auth's secret; cursor HMACs derive from it too. */
  authSecret: string;
  /** `kid:key,kid:key` (first = active unless ENCRYPTION_ACTIVE_KID says otherwise). */
  encryptionKeys: string;
  encryptionActiveKid: string | undefined;
}

/**
 * Secrets come from the environment; in development, missing ones are generated once into
 * DATA_DIR/dev-secrets.json (mode 0600, never committed) so `npm start` needs no setup.
 */
export function resolveSecrets(config: Config): Secrets {
  if (config.AUTH_SECRET && config.ENCRYPTION_KEYS) {
    return {
      authSecret: config.AUTH_SECRET,
      encryptionKeys: config.ENCRYPTION_KEYS,
      encryptionActiveKid: config.ENCRYPTION_ACTIVE_KID,
    };
  }
  const file = join(config.DATA_DIR, "dev-secrets.json");
  let stored: { authSecret: string; encryptionKeys: string } | undefined;
  if (existsSync(file)) stored = JSON.parse(readFileSync(file, "utf8"));
  if (!stored) {
    mkdirSync(config.DATA_DIR, { recursive: true });
    stored = {
      authSecret: randomBytes(32).toString("base64url"),
      encryptionKeys: `dev-1:${encodeKey(generateKey())}`,
    };
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return {
    authSecret: config.AUTH_SECRET ?? stored.authSecret,
    encryptionKeys: config.ENCRYPTION_KEYS ?? stored.encryptionKeys,
    encryptionActiveKid: config.ENCRYPTION_ACTIVE_KID,
  };
}
