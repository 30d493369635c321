import {
  type PersonalAccessToken,
  type Principal,
  patGrantableScopes,
  type Scope,
  type SessionId,
  type UserId,
  type WorkspaceId,
  type WorkspaceRole,
} from "@agenthifive/contracts";
import { generateToken, hashToken, tokenDisplayPrefix } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { createTtlCache } from "../../plugins/principal-cache.js";
import { auditUserAction } from "../audit/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { createPatRepo, type PatRow } from "./pats.repo.js";

const CACHE_TTL_MS = 5_000;
const LAST_USED_EVERY_MS = 60_000;

export interface PatServiceDeps {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  invalidation: InvalidationBus;
  /** The live role of a user in a workspace (undefined = no longer a member or disabled). */
  liveRole(workspaceId: string, userId: string): Promise<WorkspaceRole | undefined>;
}

function toPat(row: PatRow): PersonalAccessToken {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes as Scope[],
    workspaceId: row.workspaceId,
    lastFour: row.prefix.slice(-4),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Personal access tokens (API.md §3.7): scoped, expiring, hashed, revocable, re-checked live. */
export function createPatService(deps: PatServiceDeps) {
  const repo = createPatRepo();
  const { db } = deps.database;
  const cache = createTtlCache<PatRow | null>(CACHE_TTL_MS);
  const lastUsed = new Map<string, number>();
  deps.invalidation.subscribe((m) => {
    if (m === "all" || m.k === "pat" || m.k === "member" || m.k === "user") cache.clear();
  });

  const audit = (tx: DbOrTx, p: UserPrincipal, action: string, id: string, requestId: string, details = {}) =>
    auditUserAction(tx, p, deps.clock.now(), {
      action,
      targetType: "personal_access_token",
      targetId: id,
      requestId,
      details,
    });

  return {
    async list(p: UserPrincipal, limit: number, cursor?: string) {
      const filters = { w: p.workspaceId, u: p.userId };
      const after = deps.cursors.decode("pats", filters, cursor);
      const rows = await repo.list(db, p.workspaceId, p.userId, limit, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toPat,
        (k) => deps.cursors.encode("pats", filters, k),
      );
    },

    async create(
      p: UserPrincipal,
      input: { name: string; scopes: Scope[]; expiresInDays: number },
      requestId: string,
    ) {
      const role = p.roles[0] ?? "viewer";
      const grantable = new Set(patGrantableScopes(role));
      const refused = input.scopes.filter((s) => !grantable.has(s));
      if (refused.length > 0) {
        throw new AppError(
          "SCOPE_MISSING",
          "A token cannot carry scopes you do not hold or that need a session.",
          {
            details: { required: refused, reason: "not_grantable" },
            hint: "Choose scopes your role allows; tokens:manage, members:manage and workspace:delete need the dashboard.",
          },
        );
      }
      const token = generateToken("ah5p");
      const now = deps.clock.now();
      const row: PatRow = {
        id: newId(),
        workspaceId: p.workspaceId,
        userId: p.userId,
        name: input.name,
        tokenHash: hashToken(token),
        prefix: tokenDisplayPrefix(token),
        scopes: [...new Set(input.scopes)],
        expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
        revokedAt: null,
        lastUsedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      await db.transaction(async (tx) => {
        await repo.insert(tx, row);
        await audit(tx, p, "pat.created", row.id, requestId, {
          scopes: row.scopes,
          expiresAt: row.expiresAt,
        });
      });
      return { token, pat: toPat(row) };
    },

    async rename(p: UserPrincipal, id: string, name: string) {
      const row = await repo.rename(db, p.workspaceId, p.userId, id, name, deps.clock.now());
      if (!row) throw notFound("Token");
      return toPat(row);
    },

    async revoke(p: UserPrincipal, id: string, requestId: string) {
      await db.transaction(async (tx) => {
        const row = await repo.revoke(tx, p.workspaceId, p.userId, id, deps.clock.now());
        if (!row) throw notFound("Token");
        await audit(tx, p, "pat.revoked", id, requestId);
        await deps.invalidation.publish(tx, { k: "pat", id, w: p.workspaceId });
      });
    },

    /** Called in the transaction that removes a member: their tokens die with the membership. */
    revokeAllOfMember: (tx: DbOrTx, workspaceId: string, userId: string) =>
      repo.revokeAllOfMember(tx, workspaceId, userId, deps.clock.now()),

    /** Resolves `ah5p_…`: scopes are re-intersected with the live role on every request. */
    async resolve(token: string): Promise<Principal | null> {
      const hash = hashToken(token);
      const key = hash.toString("base64url");
      let row = cache.get(key);
      if (row === undefined) {
        row = (await repo.findByHash(db, hash)) ?? null;
        cache.set(key, row);
      }
      if (!row || row.revokedAt) return null;
      const now = deps.clock.now();
      if (row.expiresAt <= now) {
        throw new AppError("TOKEN_EXPIRED", "The personal access token has expired.", {
          hint: "Create a new token in the dashboard (Settings → Tokens) or run `ah5 login`.",
        });
      }
      const role = await deps.liveRole(row.workspaceId, row.userId);
      if (!role) return null;
      const allowed = new Set(patGrantableScopes(role));
      const scopes = (row.scopes as Scope[]).filter((s) => allowed.has(s));
      if (now.getTime() - (lastUsed.get(row.id) ?? 0) > LAST_USED_EVERY_MS) {
        lastUsed.set(row.id, now.getTime());
        void repo.touch(db, row.id, now).catch(() => undefined);
      }
      return {
        kind: "user",
        userId: row.userId as UserId,
        workspaceId: row.workspaceId as WorkspaceId,
        roles: [role],
        scopes,
        credential: "pat",
        credentialId: row.id,
        expiresAt: row.expiresAt.getTime(),
        sessionId: undefined as SessionId | undefined,
      };
    },
  };
}
export type PatService = ReturnType<typeof createPatService>;
