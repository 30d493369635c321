/**
 * A tiny TTL cache for the active-principal check (API.md §2.1: cached ≤ 5 s per replica and
 * dropped on NOTIFY), so the hot path does not hit the database on every request.
 */
export function createTtlCache<V>(ttlMs: number, maxEntries = 10_000) {
  const entries = new Map<string, { value: V; expiresAt: number }>();
  return {
    get(key: string): V | undefined {
      const hit = entries.get(key);
      if (!hit) return undefined;
      if (hit.expiresAt <= Date.now()) {
        entries.delete(key);
        return undefined;
      }
      return hit.value;
    },
    set(key: string, value: V) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expiresAt: Date.now() + ttlMs });
    },
    delete: (key: string) => entries.delete(key),
    clear: () => entries.clear(),
  };
}
export type TtlCache<V> = ReturnType<typeof createTtlCache<V>>;
