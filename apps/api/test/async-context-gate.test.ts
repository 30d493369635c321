import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  betterAuthStorages,
  createAsyncContextGate,
  type GatedStorage,
} from "../src/modules/auth/async-context-gate.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { createUser, exchange, signIn } from "./helpers/flows.js";

const tick = () => new Promise((resolve) => setImmediate(resolve));

function fakeStorage() {
  const storage = { disabled: 0, disable: () => void storage.disabled++ };
  return storage;
}

function deferred() {
  let resolve!: () => void;
  let reject!: (e: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("async-context gate", () => {
  it("switches the storages off only when the last call in flight has ended", async () => {
    const storages = [fakeStorage(), fakeStorage()];
    const gate = createAsyncContextGate(Promise.resolve(storages));
    const first = deferred();
    const second = deferred();
    const a = gate.run(() => first.promise.then(() => "a"));
    const b = gate.run(() => second.promise.then(() => "b"));
    first.resolve();
    expect(await a).toBe("a");
    await tick();
    expect(storages.map((s) => s.disabled)).toEqual([0, 0]);
    second.resolve();
    expect(await b).toBe("b");
    await tick();
    expect(storages.map((s) => s.disabled)).toEqual([1, 1]);
  });

  it("settles after a failing call and passes its error on", async () => {
    const storage = fakeStorage();
    const gate = createAsyncContextGate(Promise.resolve([storage]));
    await expect(gate.run(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await tick();
    expect(storage.disabled).toBe(1);
  });

  it("leaves the storages on when a call starts before the storages are known", async () => {
    const storage = fakeStorage();
    const known = deferred();
    const gate = createAsyncContextGate(known.promise.then((): GatedStorage[] => [storage]));
    await gate.run(async () => "done");
    const later = deferred();
    const running = gate.run(() => later.promise);
    known.resolve();
    await tick();
    expect(storage.disabled).toBe(0);
    later.resolve();
    await running;
    await tick();
    expect(storage.disabled).toBe(1);
  });
});

describe("Better Auth behind the gate", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it("keeps each call's context under concurrency and turns the hooks off afterwards", async () => {
    const users = await Promise.all(
      ["gate-a@example.com", "gate-b@example.com", "gate-c@example.com"].map((email) =>
        createUser(t.app, t.deps, email),
      ),
    );
    // Sign-ins and session exchanges of three people interleaved: every answer is its own.
    const rounds = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const user = users[i % users.length] as (typeof users)[number];
        const signedIn = await signIn(t.app, user.email);
        const ex = await exchange(t.app, i % 2 ? signedIn.cookie : user.cookie);
        const sub = JSON.parse(
          Buffer.from(
            (ex.json() as { accessToken: string }).accessToken.split(".")[1] as string,
            "base64url",
          ).toString(),
        ).sub;
        return { status: [signedIn.res.statusCode, ex.statusCode], same: sub === user.userId };
      }),
    );
    expect(rounds.every((r) => r.status[0] === 200 && r.status[1] === 200 && r.same)).toBe(true);
    await tick();
    // Node 20's AsyncLocalStorage: `enabled` is what keeps its promise hooks installed.
    for (const storage of (await betterAuthStorages()) as unknown as { enabled?: boolean }[]) {
      if ("enabled" in storage) expect(storage.enabled).toBe(false);
    }
  });
});
