import type { AsyncLocalStorage } from "node:async_hooks";
import {
  getCurrentAuthContextAsyncLocalStorage,
  getCurrentDBAdapterAsyncLocalStorage,
  getRequestStateAsyncLocalStorage,
} from "@better-auth/core/context";

/** What the gate needs of a storage: switching it off (the next `run()` switches it on again). */
export type GatedStorage = Pick<AsyncLocalStorage<unknown>, "disable">;

export interface AsyncContextGate {
  /** Runs one Better Auth call; when the last call in flight ends, the storages are switched off. */
  run<T>(call: () => Promise<T>): Promise<T>;
}

/** Better Auth's three context storages (endpoint, request state, adapter/transaction). */
export function betterAuthStorages(): Promise<GatedStorage[]> {
  return Promise.all([
    getCurrentAuthContextAsyncLocalStorage(),
    getRequestStateAsyncLocalStorage(),
    getCurrentDBAdapterAsyncLocalStorage(),
  ]);
}

/**
 * Better Auth keeps its per-call context in AsyncLocalStorage. On Node 20 a storage that has run
 * once installs promise hooks for every promise the process creates, and keeps them: after the
 * first sign-in, every agent call (which never touches Better Auth) paid ~10 % more CPU on the
 * vault path. The gate counts Better Auth calls in flight and switches the storages off when the
 * last one has ended, so the hooks are on only while someone is signing in.
 */
export function createAsyncContextGate(storages: Promise<GatedStorage[]>): AsyncContextGate {
  let inFlight = 0;
  const settle = (list: GatedStorage[]) => {
    // Checked again here: a call may have started between the count reaching zero and now.
    if (inFlight === 0) for (const storage of list) storage.disable();
  };
  return {
    async run(call) {
      inFlight++;
      try {
        return await call();
      } finally {
        inFlight--;
        if (inFlight === 0) void storages.then(settle);
      }
    },
  };
}
