import type { EnvelopeEncryptor } from "@agenthifive/security";
import {
  type CryptoKey,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  importJWK,
  importPKCS8,
  type JWK,
  type JWTPayload,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
} from "jose";
import type { Database } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { createSigningKeyRepo, type SigningKeyRow } from "./signing-keys.repo.js";

const ALG = "ES256";
/** A retiring key stays published until every token it signed has expired (API.md §2.3). */
export const MAX_JWT_TTL_SECONDS = 300;
export const JWT_LEEWAY_SECONDS = 30;
const CACHE_TTL_MS = 60_000;
const UNKNOWN_KID_RELOAD_MS = 5_000;

export interface PublicJwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  kid: string;
  alg: string;
  use: "sig";
}

interface LoadedKeys {
  active: { kid: string; key: CryptoKey } | undefined;
  verify: Map<string, CryptoKey>;
  jwks: { keys: PublicJwk[] };
  loadedAt: number;
}

export interface SigningKeyServiceDeps {
  database: Database;
  encryptor: EnvelopeEncryptor;
  clock: Clock;
  invalidation: InvalidationBus;
  issuer: string;
  audience: string;
}

export const signingKeyAad = (id: string) => `t_signing_keys:${id}:-`;

/**
 * Owns the JWT signing keys: generation, import from config, rotation, the JWKS document, and
 * signing/verifying the internal API JWT against the in-process key set (never an HTTP fetch).
 */
export function createSigningKeyService(deps: SigningKeyServiceDeps) {
  const repo = createSigningKeyRepo();
  const { db } = deps.database;
  let loaded: LoadedKeys | undefined;
  let lastUnknownKidReload = 0;

  async function toPrivate(row: SigningKeyRow): Promise<CryptoKey> {
    const pkcs8 = deps.encryptor.decryptString(row.privateKeyEnvelope, signingKeyAad(row.id));
    return importPKCS8(pkcs8, row.alg);
  }

  async function load(): Promise<LoadedKeys> {
    const now = deps.clock.now();
    await repo.retireExpired(db, now);
    const rows = await repo.listPublishable(db);
    const verify = new Map<string, CryptoKey>();
    const keys: PublicJwk[] = [];
    let active: LoadedKeys["active"];
    for (const row of rows) {
      verify.set(row.kid, (await importJWK(row.publicJwk, row.alg)) as CryptoKey);
      keys.push({ ...row.publicJwk, kty: row.publicJwk.kty ?? "EC", kid: row.kid, alg: row.alg, use: "sig" });
      if (row.status === "active") active = { kid: row.kid, key: await toPrivate(row) };
    }
    loaded = { active, verify, jwks: { keys }, loadedAt: Date.now() };
    return loaded;
  }

  async function current(): Promise<LoadedKeys> {
    if (!loaded || Date.now() - loaded.loadedAt > CACHE_TTL_MS) return load();
    return loaded;
  }

  async function createKeyRow(privateKey: CryptoKey, publicKey: CryptoKey) {
    const id = newId();
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const pkcs8 = await exportPKCS8(privateKey);
    return {
      id,
      kid,
      alg: ALG,
      publicJwk: { kty: publicJwk.kty, crv: publicJwk.crv, x: publicJwk.x, y: publicJwk.y } as Record<
        string,
        string
      >,
      privateKeyEnvelope: deps.encryptor.encrypt(pkcs8, signingKeyAad(id)),
    };
  }

  /** Inserts a new active key and demotes the old one to `retiring`, in one transaction. */
  async function rotate(): Promise<{ kid: string; previousKid: string | undefined }> {
    const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
    const row = await createKeyRow(privateKey, publicKey);
    const now = deps.clock.now();
    const notAfter = new Date(now.getTime() + (MAX_JWT_TTL_SECONDS + JWT_LEEWAY_SECONDS) * 1000);
    const previous = await db.transaction(async (tx) => {
      const old = await repo.findActive(tx);
      await repo.retireActive(tx, notAfter, now);
      await repo.insert(tx, { ...row, status: "active", activatedAt: now });
      await deps.invalidation.publish(tx, { k: "signing_key", id: row.id });
      return old?.kid;
    });
    await load();
    return { kid: row.kid, previousKid: previous };
  }

  /** Imports configured private JWKs (first = active) and makes sure one key is active. */
  async function ensureKeys(configured: JWK[] = []): Promise<void> {
    for (const [index, jwk] of configured.entries()) {
      const privateKey = (await importJWK(jwk, ALG, { extractable: true })) as CryptoKey;
      const { d: _d, ...pub } = jwk;
      const publicKey = (await importJWK(pub, ALG)) as CryptoKey;
      const row = await createKeyRow(privateKey, publicKey);
      const existing = await repo.findByKid(db, row.kid);
      const now = deps.clock.now();
      if (!existing) {
        await db.transaction(async (tx) => {
          if (index === 0) await repo.retireActive(tx, new Date(now.getTime() + 330_000), now);
          await repo.insert(tx, {
            ...row,
            status: index === 0 ? "active" : "retiring",
            notAfter: index === 0 ? null : new Date(now.getTime() + 330_000),
          });
        });
      } else if (index === 0 && existing.status !== "active") {
        await db.transaction(async (tx) => {
          await repo.retireActive(tx, new Date(now.getTime() + 330_000), now);
          await repo.activate(tx, existing.kid, now);
        });
      }
    }
    if (!(await repo.findActive(db))) await rotate();
    await load();
  }

  async function sign(
    claims: JWTPayload & { sub: string },
    ttlSeconds = MAX_JWT_TTL_SECONDS,
  ): Promise<string> {
    const keys = await current();
    if (!keys.active) throw new AppError("SERVICE_UNAVAILABLE", "No signing key is active.");
    const iat = Math.floor(deps.clock.now().getTime() / 1000);
    return new SignJWT(claims)
      .setProtectedHeader({ alg: ALG, typ: "JWT", kid: keys.active.kid })
      .setIssuer(deps.issuer)
      .setAudience(deps.audience)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ttlSeconds)
      .sign(keys.active.key);
  }

  async function keyFor(kid: string | undefined): Promise<CryptoKey> {
    let keys = await current();
    let key = kid ? keys.verify.get(kid) : undefined;
    // Another replica may have rotated a moment ago: reload once, at most every few seconds.
    if (!key && kid && Date.now() - lastUnknownKidReload > UNKNOWN_KID_RELOAD_MS) {
      lastUnknownKidReload = Date.now();
      keys = await load();
      key = keys.verify.get(kid);
    }
    if (!key) throw unauthenticated("unknown_kid");
    return key;
  }

  /** Verifies alg, signature, iss, aud, exp and nbf (30 s leeway); maps every failure to a code. */
  async function verify(token: string): Promise<JWTPayload> {
    let kid: string | undefined;
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== ALG) throw unauthenticated("unsupported_alg");
      kid = header.kid;
    } catch (e) {
      if (e instanceof AppError) throw e;
      throw unauthenticated("malformed");
    }
    const key = await keyFor(kid);
    try {
      const { payload } = await jwtVerify(token, key, {
        algorithms: [ALG],
        issuer: deps.issuer,
        audience: deps.audience,
        clockTolerance: JWT_LEEWAY_SECONDS,
        currentDate: deps.clock.now(),
        requiredClaims: ["exp", "iat", "sub"],
      });
      return payload;
    } catch (e) {
      throw mapJoseError(e);
    }
  }

  deps.invalidation.subscribe((m) => {
    if (m === "all" || m.k === "signing_key") loaded = undefined;
  });

  return {
    ensureKeys,
    rotate,
    sign,
    verify,
    jwks: async () => (await current()).jwks,
    hasActiveKey: async () => Boolean((await current()).active),
    reload: load,
  };
}
export type SigningKeyService = ReturnType<typeof createSigningKeyService>;

function unauthenticated(reason: string): AppError {
  return new AppError("UNAUTHENTICATED", "The access token is not valid.", { details: { reason } });
}

function mapJoseError(e: unknown): AppError {
  if (e instanceof joseErrors.JWTExpired) {
    return new AppError("TOKEN_EXPIRED", "The access token has expired.", { details: { reason: "expired" } });
  }
  if (e instanceof joseErrors.JWTClaimValidationFailed) {
    const reason =
      e.claim === "aud"
        ? "wrong_audience"
        : e.claim === "iss"
          ? "wrong_issuer"
          : e.claim === "nbf"
            ? "not_yet_valid"
            : "invalid_claims";
    return unauthenticated(reason);
  }
  if (e instanceof joseErrors.JOSEAlgNotAllowed) return unauthenticated("unsupported_alg");
  if (e instanceof joseErrors.JWSSignatureVerificationFailed) return unauthenticated("bad_signature");
  return unauthenticated("malformed");
}
