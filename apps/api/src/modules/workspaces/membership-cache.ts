import type { WorkspaceRole } from "@agenthifive/contracts";
import type { InvalidationBus } from "../../db/invalidation.js";
import { createTtlCache } from "../../plugins/principal-cache.js";

const TTL_MS = 5_000;

/**
 * The active-principal check for people (API.md §2.1): a user's live role in a workspace,
 * cached ≤ 5 s per replica and dropped when any membership, user or session changes.
 */
export function createMembershipCache(
  lookup: (
    workspaceId: string,
    userId: string,
  ) => Promise<{ role: WorkspaceRole; disabledAt: Date | null } | undefined>,
  invalidation: InvalidationBus,
) {
  const cache = createTtlCache<WorkspaceRole | null>(TTL_MS);
  invalidation.subscribe((m) => {
    if (m === "all" || m.k === "member" || m.k === "user" || m.k === "session") cache.clear();
  });
  return async function liveRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined> {
    const key = `${workspaceId}:${userId}`;
    let role = cache.get(key);
    if (role === undefined) {
      const m = await lookup(workspaceId, userId);
      role = m && !m.disabledAt ? m.role : null;
      cache.set(key, role);
    }
    return role ?? undefined;
  };
}
export type LiveRole = ReturnType<typeof createMembershipCache>;
