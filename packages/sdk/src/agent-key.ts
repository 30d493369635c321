import { randomUUID } from "node:crypto";
import { chmod, mkdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type JWK,
} from "jose";
import { AgentHiFiveError } from "./errors.js";

export type AgentKeyAlg = "ES256" | "EdDSA";

/**
 * What an agent keeps on disk: its private key and, once enrolled, its id and token endpoint.
 * The file holds a private key, so it is written with mode 0600 (owner read/write only).
 */
export interface AgentKeyFile {
  version: 1;
  alg: AgentKeyAlg;
  privateKey: JWK;
  agentId?: string | undefined;
  tokenEndpoint?: string | undefined;
}

export interface AgentKey {
  alg: AgentKeyAlg;
  privateKey: CryptoKey;
  /** Public members only (kty, crv, x, y): what the bootstrap request carries. */
  publicJwk: JWK;
  /** RFC 7638 thumbprint, sent as `kid`. */
  thumbprint: string;
}

function publicMembers(jwk: JWK): JWK {
  if (jwk.kty === "EC") return { kty: "EC", crv: jwk.crv, x: jwk.x, y: jwk.y };
  if (jwk.kty === "OKP") return { kty: "OKP", crv: jwk.crv, x: jwk.x };
  throw new AgentHiFiveError({
    code: "KEY_INVALID",
    status: 0,
    message: "The agent key must be an EC P-256 or Ed25519 private key.",
  });
}

function algFor(jwk: JWK): AgentKeyAlg {
  if (jwk.kty === "EC" && jwk.crv === "P-256") return "ES256";
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519") return "EdDSA";
  throw new AgentHiFiveError({
    code: "KEY_INVALID",
    status: 0,
    message: "The agent key must be an EC P-256 (ES256) or Ed25519 (EdDSA) key.",
  });
}

/** Imports a private JWK (with `d`) as a signing key. */
export async function importAgentKey(privateJwk: JWK): Promise<AgentKey> {
  if (typeof privateJwk.d !== "string") {
    throw new AgentHiFiveError({
      code: "KEY_INVALID",
      status: 0,
      message: "The agent key has no private part (d).",
      hint: "Point the SDK at the private key file written at enrollment.",
    });
  }
  const alg = algFor(privateJwk);
  const publicJwk = publicMembers(privateJwk);
  return {
    alg,
    privateKey: (await importJWK(privateJwk, alg)) as CryptoKey,
    publicJwk,
    thumbprint: await calculateJwkThumbprint(publicJwk),
  };
}

export async function generateAgentKeyJwk(alg: AgentKeyAlg = "ES256"): Promise<JWK> {
  const { privateKey } = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === "EdDSA" ? { crv: "Ed25519" } : {}),
  });
  return exportJWK(privateKey);
}

/** Like ssh: a private key that others can read is refused rather than used (POSIX only). */
async function assertPrivate(path: string) {
  if (process.platform === "win32") return;
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) {
    throw new AgentHiFiveError({
      code: "KEY_INSECURE",
      status: 0,
      message: `The agent key file ${path} is readable by other users (mode ${(mode & 0o777).toString(8)}).`,
      hint: `Run: chmod 600 ${path}`,
    });
  }
}

/** Reads a key file; undefined when it does not exist. A bare private JWK is accepted too. */
export async function readAgentKeyFile(path: string): Promise<AgentKeyFile | undefined> {
  let text: string;
  try {
    await assertPrivate(path);
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new AgentHiFiveError({
      code: "KEY_INVALID",
      status: 0,
      message: `The agent key file ${path} is not JSON.`,
      cause,
    });
  }
  const value = parsed as Partial<AgentKeyFile> & JWK;
  if (typeof value.kty === "string") return { version: 1, alg: algFor(value), privateKey: value };
  if (value.version !== 1 || typeof value.privateKey !== "object" || value.privateKey === null) {
    throw new AgentHiFiveError({
      code: "KEY_INVALID",
      status: 0,
      message: `The agent key file ${path} is not an AgentHiFive key file.`,
    });
  }
  return value as AgentKeyFile;
}

/**
 * Writes the key file atomically (temp file + rename) with mode 0600, its directory 0700 when
 * created. Never logs or returns the private key.
 */
export async function writeAgentKeyFile(path: string, file: AgentKeyFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${randomUUID()}.tmp`;
  await writeFile(temp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: "wx" });
  await chmod(temp, 0o600);
  await rename(temp, path);
}

/** Loads the key file, or generates a key and writes a new file (0600) when there is none. */
export async function loadOrCreateAgentKeyFile(path: string, alg: AgentKeyAlg = "ES256") {
  const existing = await readAgentKeyFile(path);
  if (existing) return { file: existing, created: false };
  const file: AgentKeyFile = { version: 1, alg, privateKey: await generateAgentKeyJwk(alg) };
  await writeAgentKeyFile(path, file);
  return { file, created: true };
}
