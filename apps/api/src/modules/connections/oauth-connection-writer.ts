import type { TokenSet } from "@agenthifive/oauth-connectors";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { Database } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { connections, pendingConnections } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { insertAuditEvent } from "../audit/index.js";
import type { EventHub } from "../events/index.js";
import { createConnectionRepo } from "./connections.repo.js";
import { connectionAad, type StoredCredential } from "./credential.js";
import type { OAuthClientResolver } from "./oauth-clients.js";
import { tokenTypeLabel } from "./token-refresh.js";

export type PendingRow = typeof pendingConnections.$inferSelect;

/**
 * Turns a completed OAuth flow (authorization code or device) into a stored connection: looks
 * up the provider account, encrypts the token set bound to the connection row, and creates the
 * connection or updates the one being reconnected in place, with its audit row, in one
 * transaction.
 */
export function createOAuthConnectionWriter(deps: {
  database: Database;
  clock: Clock;
  encryptor: EnvelopeEncryptor;
  invalidation: InvalidationBus;
  clients: OAuthClientResolver;
  events?: Pick<EventHub, "emit">;
}) {
  const repo = createConnectionRepo();
  const { db } = deps.database;

  async function identify(
    pending: PendingRow,
    tokens: TokenSet,
  ): Promise<{ accountId: string | undefined; email?: string; name?: string }> {
    if (tokens.providerAccountId) {
      return {
        accountId: tokens.providerAccountId,
        email: tokens.accountEmail,
        name: tokens.accountDisplayName,
      };
    }
    try {
      const connector = await deps.clients.connectorFor(pending.provider, pending);
      const who = await connector?.userInfo(tokens.accessToken);
      return { accountId: who?.providerAccountId, email: who?.email, name: who?.displayName };
    } catch {
      return { accountId: undefined };
    }
  }

  /** Creates the connection, or updates the one being reconnected in place; audits it. */
  return async function persist(pending: PendingRow, tokens: TokenSet, requestId: string): Promise<string> {
    const provider = deps.clients.provider(pending.provider);
    const who = await identify(pending, tokens);
    const now = deps.clock.now();
    const credential: StoredCredential = {
      kind: "oauth",
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      tokenType: tokenTypeLabel(tokens.tokenType),
    };
    const tokenColumns = (id: string) => ({
      credentialEnvelope: deps.encryptor.encryptJson(credential, connectionAad(id, pending.workspaceId)),
      accessExpiresAt: tokens.expiresAt ?? null,
      refreshExpiresAt: tokens.refreshExpiresAt ?? null,
      scopes: tokens.scopes,
      accountEmail: who.email ?? null,
      accountDisplayName: who.name ?? null,
      lastRefreshAt: null,
      refreshFailures: 0,
      lastErrorCode: null,
      status: "active" as const,
    });
    const audit = (tx: Parameters<typeof insertAuditEvent>[0], action: string, id: string) =>
      insertAuditEvent(tx, {
        workspaceId: pending.workspaceId,
        occurredAt: now,
        actorType: "user",
        actorId: pending.userId,
        action,
        targetType: "connection",
        targetId: id,
        connectionId: id,
        outcome: "success",
        requestId,
        details: {
          provider: pending.provider,
          service: pending.service,
          authType: pending.flow === "device" ? "device" : "oauth",
          scopes: tokens.scopes,
        },
      });

    return db.transaction(async (tx) => {
      const reconnect = pending.reconnectConnectionId;
      if (reconnect) {
        const row = await repo.lockForUpdate(tx, pending.workspaceId, reconnect);
        if (!row || row.status === "revoked" || row.provider !== pending.provider) {
          throw new AppError("CONFLICT", "The connection to reconnect is gone.");
        }
        // Reconnecting renews the same account's grant; another account would silently re-point
        // every agent and policy bound to this connection.
        if (row.providerAccountId && who.accountId && row.providerAccountId !== who.accountId) {
          throw new AppError("CONFLICT", "That is another account than the one this connection is for.", {
            details: { reason: "account_mismatch" },
            hint: "Sign in to the provider with the connection's own account, or add the other account as a new connection.",
          });
        }
        await repo.writeCredential(
          tx,
          pending.workspaceId,
          reconnect,
          {
            ...tokenColumns(reconnect),
            oauthAppId: pending.oauthAppId,
            ...(who.accountId ? { providerAccountId: who.accountId } : {}),
          },
          now,
        );
        await audit(tx, "connection.reconnected", reconnect);
        await deps.invalidation.publish(tx, { k: "connection", id: reconnect, w: pending.workspaceId });
        await deps.events?.emit(tx, {
          workspaceId: pending.workspaceId,
          type: "connection.updated",
          resourceId: reconnect,
        });
        return reconnect;
      }
      const id = newId();
      const label =
        pending.label ??
        `${provider?.label ?? pending.provider} (${who.email ?? who.accountId ?? id})`.slice(0, 100);
      const row: typeof connections.$inferInsert = {
        id,
        workspaceId: pending.workspaceId,
        provider: pending.provider,
        service: pending.service,
        authType: pending.flow === "device" ? "device" : "oauth",
        label,
        providerAccountId: who.accountId ?? id,
        metadata: {},
        oauthAppId: pending.oauthAppId,
        createdBy: pending.userId,
        createdAt: now,
        updatedAt: now,
        ...tokenColumns(id),
      };
      await repo.insert(tx, row);
      await audit(tx, "connection.created", id);
      await deps.invalidation.publish(tx, { k: "connection", id, w: pending.workspaceId });
      await deps.events?.emit(tx, {
        workspaceId: pending.workspaceId,
        type: "connection.updated",
        resourceId: id,
      });
      return id;
    });
  };
}
export type OAuthConnectionWriter = ReturnType<typeof createOAuthConnectionWriter>;
