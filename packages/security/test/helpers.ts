import { expect } from "vitest";
import {
  createKeyRing,
  generateKey,
  type KeyRing,
  SecurityError,
  type SecurityErrorCode,
} from "../src/index.js";

/** A realistic owner binding: table, row id, workspace id. */
export const AAD = "t_connections:0190f4c2-7b3a-7c4d-8e9f-0a1b2c3d4e5f:0190f4c2-0000-7000-8000-000000000001";

export const hex = (text: string): Buffer => Buffer.from(text.replace(/\s+/g, ""), "hex");

export function singleKeyRing(key: Uint8Array = generateKey(), kid = "k1"): KeyRing {
  return createKeyRing({ keys: [{ kid, key, status: "active" }] });
}

/** Runs `fn`, asserts it throws a SecurityError with `code`, and returns the error. */
export function expectSecurityError(fn: () => unknown, code: SecurityErrorCode): SecurityError {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, `expected ${code}`).toBeInstanceOf(SecurityError);
  expect((thrown as SecurityError).code).toBe(code);
  return thrown as SecurityError;
}

/** Flips one bit of the bytes behind a base64url string. */
export function flipBit(base64url: string, bit = 0): string {
  const bytes = Buffer.from(base64url, "base64url");
  bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (1 << (bit & 7));
  return bytes.toString("base64url");
}

/** A randomBytes stand-in that hands out the given buffers in order (for known answers). */
export function fixedRandom(...chunks: Uint8Array[]): (n: number) => Uint8Array {
  const queue = [...chunks];
  return (n) => {
    const next = queue.shift();
    if (next?.length !== n) throw new Error(`fixedRandom: asked for ${n} bytes, had ${next?.length}`);
    return next;
  };
}
