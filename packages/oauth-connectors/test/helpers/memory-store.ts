import type { Adapter, AdapterPayload } from "oidc-provider";

/**
 * oidc-provider storage for one test server: a plain Map without its own expiry (the models
 * check `exp` themselves, so an expired device code answers `expired_token` instead of
 * vanishing), private to the server instance (the built-in adapter is process-global), and open
 * to the tests so they can expire a device flow without waiting or faking the clock.
 */
export class MemoryStore {
  private readonly entries = new Map<string, AdapterPayload>();
  private readonly index = new Map<string, string>();

  adapter(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const store = this;
    return {
      async upsert(id, payload) {
        store.entries.set(key(id), payload);
        if (payload.grantId) store.index.set(`grant:${payload.grantId}:${key(id)}`, key(id));
        if (payload.userCode) store.index.set(`userCode:${payload.userCode}`, key(id));
        if (model === "Session" && payload.uid) store.index.set(`sessionUid:${payload.uid}`, key(id));
      },
      async find(id) {
        return store.entries.get(key(id));
      },
      async findByUserCode(userCode) {
        return store.lookup(`userCode:${userCode}`);
      },
      async findByUid(uid) {
        return store.lookup(`sessionUid:${uid}`);
      },
      async consume(id) {
        const payload = store.entries.get(key(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        store.entries.delete(key(id));
      },
      async revokeByGrantId(grantId) {
        for (const [name, target] of store.index) {
          if (name.startsWith(`grant:${grantId}:`)) {
            store.entries.delete(target);
            store.index.delete(name);
          }
        }
      },
    };
  }

  /** Moves a device flow's expiry into the past, as if its `expires_in` had run out. */
  expireDeviceCode(userCode: string): void {
    const normalised = userCode.replace(/[^A-Za-z0-9]/g, "").toUpperCase();
    const payload = this.lookup(`userCode:${normalised}`);
    if (!payload) throw new Error("no device flow with this user code");
    payload.exp = Math.floor(Date.now() / 1000) - 1;
  }

  private lookup(name: string): AdapterPayload | undefined {
    const target = this.index.get(name);
    return target === undefined ? undefined : this.entries.get(target);
  }
}
