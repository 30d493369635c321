import { randomFillSync } from "node:crypto";
import { v7 } from "uuid";

/**
 * Random bytes drawn from the CSPRNG 4 KiB at a time: one id no longer pays for a WebCrypto
 * call (uuid's default source), which showed on the vault's hot path.
 */
const POOL_BYTES = 4096;
const pool = new Uint8Array(POOL_BYTES);
let poolOffset = POOL_BYTES;

function random16(): Uint8Array {
  if (poolOffset + 16 > POOL_BYTES) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  const bytes = pool.subarray(poolOffset, poolOffset + 16);
  poolOffset += 16;
  return bytes;
}

/** Monotonic within this process, as uuid's own state keeps it: same millisecond → seq + 1. */
const state = { msecs: Number.NEGATIVE_INFINITY, seq: 0 };

/** Time-ordered UUID v7: ids double as keyset-pagination cursors (DATA-MODEL.md §1). */
export function newId<T extends string = string>(): T {
  const random = random16();
  const now = Date.now();
  if (now > state.msecs) {
    // A fresh 31-bit counter start per millisecond, taken from the random bytes (RFC 9562 §6.2).
    state.seq =
      (((random[6] as number) & 0x7f) << 24) |
      ((random[7] as number) << 16) |
      ((random[8] as number) << 8) |
      (random[9] as number);
    state.msecs = now;
  } else {
    state.seq = (state.seq + 1) | 0;
    if (state.seq === 0) state.msecs += 1;
  }
  return v7({ random, msecs: state.msecs, seq: state.seq }) as T;
}
