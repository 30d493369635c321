import type { Connection } from "@agenthifive/contracts";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { auditUserAction } from "../audit/index.js";
import type { EventHub } from "../events/index.js";

import type { UserPrincipal } from "../workspaces/index.js";
import { memberMayAct, notOwner } from "../workspaces/index.js";
import { type ConnectionRow, createConnectionRepo } from "./connections.repo.js";
import type { ApiKeyVerifier, StoredCredential } from "./credential.js";
import { connectionAad, openCredential } from "./credential.js";

export function toConnection(row: ConnectionRow): Connection {
  return {
    id: row.id,
    provider: row.provider,
    service: row.service,
    label: row.label,
    status: row.status,
    authType: row.authType,
    accountId: row.providerAccountId,
    grantedScopes: row.scopes,
    oauthAppId: row.oauthAppId,
    statusReason: row.lastErrorCode,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastRefreshedAt: row.lastRefreshAt?.toISOString() ?? null,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/**
 * Connections (API.md §3.2): the encrypted credential vault. A credential is written once as an
 * envelope bound to its row and workspace, never returned, and crypto-shredded on revoke.
 */
export function createConnectionService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  invalidation: InvalidationBus;
  encryptor: EnvelopeEncryptor;
  verifyApiKey: ApiKeyVerifier;
  events?: Pick<EventHub, "emit">;
  /** RFC 7009 revocation at the provider, best effort (API.md §3.2 DELETE). */
  revokeAtProvider?: (
    provider: string,
    token: string,
    hint: "refresh_token" | "access_token",
    owner: { workspaceId: string; oauthAppId: string | null },
  ) => Promise<"revoked" | "not_supported">;
}) {
  const repo = createConnectionRepo();
  const { db } = deps.database;

  const audit = (
    tx: DbOrTx,
    p: UserPrincipal,
    action: string,
    row: ConnectionRow,
    requestId: string,
    details = {},
  ) =>
    auditUserAction(tx, p, deps.clock.now(), {
      action,
      targetType: "connection",
      targetId: row.id,
      connectionId: row.id,
      requestId,
      details: { provider: row.provider, service: row.service, ...details },
    });

  async function forChange(tx: DbOrTx, p: UserPrincipal, id: string) {
    const row = await repo.lockForUpdate(tx, p.workspaceId, id);
    if (!row) throw notFound("Connection");
    if (!memberMayAct(p.roles[0], p.userId, row.createdBy)) {
      throw notOwner("Members can only change connections they created.", "connections:write");
    }
    return row;
  }

  return {
    async list(
      p: UserPrincipal,
      f: { provider?: string; status?: ConnectionRow["status"] },
      limit: number,
      cursor?: string,
    ) {
      const filters = { w: p.workspaceId, ...f };
      const after = deps.cursors.decode("connections", filters, cursor);
      const rows = await repo.list(db, p.workspaceId, limit, f, after);
      return toPage(
        rows,
        limit,
        (r) => r.id,
        toConnection,
        (k) => deps.cursors.encode("connections", filters, k),
      );
    },

    async get(p: UserPrincipal, id: string) {
      const row = await repo.find(db, p.workspaceId, id);
      if (!row) throw notFound("Connection");
      return toConnection(row);
    },

    /** The key is verified live against the provider before anything is stored. */
    async createApiKey(
      p: UserPrincipal,
      input: {
        provider: string;
        service?: string;
        label?: string;
        secret: string;
        extra?: Record<string, string>;
      },
      requestId: string,
    ) {
      const verified = await deps.verifyApiKey(input);
      const id = newId();
      const now = deps.clock.now();
      const credential: StoredCredential = {
        kind: verified.authType,
        secret: input.secret,
        extra: input.extra,
      };
      const row: ConnectionRow = {
        id,
        workspaceId: p.workspaceId,
        provider: input.provider,
        service: verified.service,
        authType: verified.authType,
        label:
          input.label ??
          `${verified.providerLabel} (${verified.accountLabel ?? verified.accountId})`.slice(0, 100),
        providerAccountId: verified.accountId ?? id,
        accountEmail: null,
        accountDisplayName: verified.accountLabel ?? null,
        scopes: [],
        status: "active",
        credentialEnvelope: deps.encryptor.encryptJson(credential, connectionAad(id, p.workspaceId)),
        accessExpiresAt: null,
        refreshExpiresAt: null,
        oauthAppId: null,
        lastRefreshAt: null,
        refreshLockVersion: 0,
        refreshFailures: 0,
        lastErrorCode: null,
        // The custom origin of a generic key is not secret; policy presets need it.
        metadata: { ...verified.metadata, ...(input.extra?.origin ? { origin: input.extra.origin } : {}) },
        lastUsedAt: null,
        createdBy: p.userId,
        revokedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.transaction(async (tx) => {
          await repo.insert(tx, row);
          await audit(tx, p, "connection.created", row, requestId, { authType: row.authType });
        });
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict(
            "A connection with that label or account already exists.",
            "label_or_account_taken",
            "Pick another label.",
          );
        }
        throw e;
      }
      return toConnection(row);
    },

    async relabel(p: UserPrincipal, id: string, label: string, requestId: string) {
      try {
        return await db.transaction(async (tx) => {
          const row = await forChange(tx, p, id);
          const updated = await repo.update(tx, p.workspaceId, id, { label }, deps.clock.now());
          await audit(tx, p, "connection.relabeled", row, requestId);
          return toConnection(updated as ConnectionRow);
        });
      } catch (e) {
        if (isUniqueViolation(e))
          throw conflict("That label is taken.", "label_taken", "Pick another label.");
        throw e;
      }
    },

    /**
     * Revoke: tombstone, credential crypto-shredded and caches told, in one transaction; then the
     * token is revoked at the provider (best effort: a failure there is audited, not an error).
     */
    async revoke(p: UserPrincipal, id: string, requestId: string) {
      const revoked = await db.transaction(async (tx) => {
        const row = await forChange(tx, p, id);
        if (row.status === "revoked") throw conflict("The connection is already revoked.", "already_revoked");
        const now = deps.clock.now();
        const credential =
          row.credentialEnvelope && (row.authType === "oauth" || row.authType === "device")
            ? openCredential(deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId)
            : null;
        await repo.writeCredential(
          tx,
          p.workspaceId,
          id,
          { status: "revoked", revokedAt: now, credentialEnvelope: null },
          now,
        );
        await audit(tx, p, "connection.revoked", row, requestId);
        await deps.invalidation.publish(tx, { k: "connection", id, w: p.workspaceId });
        await deps.events?.emit(tx, {
          workspaceId: p.workspaceId,
          type: "connection.updated",
          resourceId: id,
        });
        return { row, credential };
      });
      const token = revoked.credential?.refreshToken ?? revoked.credential?.accessToken;
      if (!token || !deps.revokeAtProvider) return;
      let outcome: "revoked" | "not_supported" | "failed";
      try {
        outcome = await deps.revokeAtProvider(
          revoked.row.provider,
          token,
          revoked.credential?.refreshToken ? "refresh_token" : "access_token",
          revoked.row,
        );
      } catch {
        outcome = "failed";
      }
      await audit(db, p, "connection.provider_revocation", revoked.row, requestId, { outcome });
    },
  };
}
export type ConnectionService = ReturnType<typeof createConnectionService>;
