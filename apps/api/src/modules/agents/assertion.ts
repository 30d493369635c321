import { isUuid } from "@agenthifive/contracts";
import {
  type CryptoKey,
  decodeJwt,
  decodeProtectedHeader,
  errors,
  importJWK,
  type JWTPayload,
  jwtVerify,
} from "jose";
import { AppError } from "../../lib/errors.js";
import { keyAlgOf } from "./agents.mapper.js";

export const ASSERTION_MAX_LIFETIME_SECONDS = 60;
export const ASSERTION_LEEWAY_SECONDS = 5;
export const ASSERTION_ALGS = ["ES256", "EdDSA"] as const;

const invalid = (why: string, hint = "Sign a fresh assertion with the agent's enrolled key.") =>
  new AppError("ASSERTION_INVALID", `The client assertion is not valid: ${why}.`, {
    hint,
    details: { reason: why },
  });

const skew = (now: Date) =>
  new AppError("CLOCK_SKEW", "The client assertion's time is outside the accepted window.", {
    hint: "Sync the agent's clock (NTP) and sign a new assertion; iat must be now and exp at most 60 s later.",
    details: { serverTime: now.toISOString() },
  });

/**
 * Reads the claimed agent id and algorithm without trusting them: they only pick the key to verify
 * with (the header is decoded once, here, for both checks).
 */
export function readAssertion(assertion: string): { agentId: string; alg: unknown } {
  let payload: JWTPayload;
  let alg: unknown;
  try {
    ({ alg } = decodeProtectedHeader(assertion));
    payload = decodeJwt(assertion);
  } catch {
    throw invalid("malformed");
  }
  if (!isUuid(payload.sub) || payload.iss !== payload.sub) {
    throw invalid("iss and sub must both be the agent id (a UUID)");
  }
  return { agentId: payload.sub, alg };
}

const keyCache = new WeakMap<object, Promise<CryptoKey>>();
function importAgentKey(jwk: Record<string, string>): Promise<CryptoKey> {
  let key = keyCache.get(jwk);
  if (!key) {
    key = importJWK(jwk, keyAlgOf(jwk) ?? "ES256") as Promise<CryptoKey>;
    keyCache.set(jwk, key);
  }
  return key;
}

/**
 * RFC 7523 checks (API.md §3.5): alg matches the registered key, signature, aud is the token
 * endpoint, iss = sub = agent id, exp − iat ≤ 60 s, 5 s leeway, jti 16–128 characters.
 */
export async function verifyAssertion(
  assertion: string,
  claimedAlg: unknown,
  agent: { id: string; publicJwk: Record<string, string> },
  audiences: string[],
  now: Date,
): Promise<{ jti: string; exp: number }> {
  const alg = keyAlgOf(agent.publicJwk);
  if (claimedAlg !== alg) throw invalid(`alg must be ${alg}, the algorithm of the enrolled key`);
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(assertion, await importAgentKey(agent.publicJwk), {
      algorithms: [alg as string],
      audience: audiences,
      issuer: agent.id,
      subject: agent.id,
      clockTolerance: ASSERTION_LEEWAY_SECONDS,
      currentDate: now,
      requiredClaims: ["iat", "exp", "jti"],
    }));
  } catch (e) {
    if (e instanceof errors.JWTExpired) throw skew(now);
    if (e instanceof errors.JWSSignatureVerificationFailed) throw invalid("bad signature");
    if (e instanceof errors.JWTClaimValidationFailed) {
      if (e.claim === "aud")
        throw invalid("wrong audience", `Set aud to the token endpoint: ${audiences[0]}.`);
      if (e.claim === "nbf") throw skew(now);
      throw invalid(`claim ${e.claim} is missing or wrong`);
    }
    throw invalid("malformed");
  }
  const iat = payload.iat as number;
  const exp = payload.exp as number;
  const nowS = Math.floor(now.getTime() / 1000);
  if (iat > nowS + ASSERTION_LEEWAY_SECONDS) throw skew(now);
  if (exp - iat > ASSERTION_MAX_LIFETIME_SECONDS || exp <= iat) {
    throw invalid("lifetime over 60 seconds", "Use exp = iat + 60 at most.");
  }
  const jti = payload.jti;
  if (typeof jti !== "string" || jti.length < 16 || jti.length > 128)
    throw invalid("jti must be 16–128 characters");
  return { jti, exp };
}
