import { isOAuthConnectorError, type TokenSet } from "@agenthifive/oauth-connectors";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { AppError } from "../../lib/errors.js";
import { insertAuditEvent } from "../audit/index.js";
import type { EventHub } from "../events/index.js";
import { type ConnectionRow, createConnectionRepo } from "./connections.repo.js";
import { connectionAad, openCredential, type StoredCredential } from "./credential.js";
import type { OAuthClientResolver } from "./oauth-clients.js";

/** Refresh when the access token has this little left (DATA-MODEL.md §2.3). */
export const REFRESH_SKEW_MS = 60_000;

export interface FreshCredential {
  credential: StoredCredential;
  /** Access-token expiry; null when the provider stated none. */
  accessExpiresAt: Date | null;
}

type Outcome =
  | { kind: "ok"; fresh: FreshCredential }
  | { kind: "needs_reauth" }
  | { kind: "unavailable" }
  | { kind: "unusable"; status: ConnectionRow["status"] | "missing" }
  | { kind: "not_configured" };

const needsReauth = () =>
  new AppError("CONNECTION_NEEDS_REAUTH", "The connection needs to be reconnected by a person.", {
    hint: "Ask a workspace member to reconnect this account in the dashboard.",
  });

/** `bearer` → `Bearer`: what goes on the wire in the Authorization header. */
export const tokenTypeLabel = (t: string) => (t.toLowerCase() === "bearer" ? "Bearer" : t);

/**
 * Single-flight provider token refresh (DATA-MODEL.md §3.2): one refresh per connection at a
 * time in this process (a map of promises) and across replicas (the row lock, re-checked after
 * it is taken). The new token is only handed out after the transaction that stores it commits.
 */
export function createTokenRefresher(deps: {
  database: Database;
  clock: Clock;
  encryptor: EnvelopeEncryptor;
  invalidation: InvalidationBus;
  clients: OAuthClientResolver;
  events?: Pick<EventHub, "emit">;
}) {
  const repo = createConnectionRepo();
  const inFlight = new Map<string, Promise<FreshCredential>>();

  const stillFresh = (expires: Date | null) =>
    expires === null || expires.getTime() - deps.clock.now().getTime() > REFRESH_SKEW_MS;

  const open = (row: ConnectionRow): StoredCredential | null =>
    row.credentialEnvelope
      ? openCredential(deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId)
      : null;

  async function markNeedsReauth(tx: DbOrTx, row: ConnectionRow) {
    const now = deps.clock.now();
    await repo.update(
      tx,
      row.workspaceId,
      row.id,
      { status: "needs_reauth", lastErrorCode: "invalid_grant" },
      now,
    );
    await insertAuditEvent(tx, {
      workspaceId: row.workspaceId,
      occurredAt: now,
      actorType: "system",
      actorId: null,
      action: "connection.needs_reauth",
      targetType: "connection",
      targetId: row.id,
      connectionId: row.id,
      outcome: "failure",
      code: "CONNECTION_NEEDS_REAUTH",
      details: { provider: row.provider, service: row.service, reason: "invalid_grant" },
    });
    await deps.invalidation.publish(tx, { k: "connection", id: row.id, w: row.workspaceId });
    // The dashboard shows "Reconnect" live; notification channels subscribed to it are told.
    await deps.events?.emit(tx, {
      workspaceId: row.workspaceId,
      type: "connection.updated",
      resourceId: row.id,
    });
  }

  async function refreshLocked(
    workspaceId: string,
    connectionId: string,
    owner: { provider: string; oauthAppId: string | null } | undefined,
  ): Promise<FreshCredential> {
    // Resolved before the row lock: loading a workspace app must not wait on the lock's connection.
    const preparedConnector = owner
      ? await deps.clients.connectorFor(owner.provider, { workspaceId, oauthAppId: owner.oauthAppId })
      : undefined;
    const outcome = await deps.database.db.transaction(async (tx): Promise<Outcome> => {
      const row = await repo.lockForUpdate(tx, workspaceId, connectionId);
      if (row?.status !== "active") return { kind: "unusable", status: row?.status ?? "missing" };
      const current = open(row);
      // Another replica (or an earlier holder of the lock) already refreshed: use its token.
      if (current?.accessToken && stillFresh(row.accessExpiresAt)) {
        return { kind: "ok", fresh: { credential: current, accessExpiresAt: row.accessExpiresAt } };
      }
      if (!current?.refreshToken) {
        await markNeedsReauth(tx, row);
        return { kind: "needs_reauth" };
      }
      const connector = row.oauthAppId === (owner?.oauthAppId ?? null) ? preparedConnector : undefined;
      if (!connector) return { kind: "not_configured" };
      let tokens: TokenSet;
      try {
        tokens = await connector.refresh(current.refreshToken, { grantedScopes: row.scopes });
      } catch (error) {
        if (isOAuthConnectorError(error) && error.code === "ERR_PROVIDER_INVALID_GRANT") {
          await markNeedsReauth(tx, row);
          return { kind: "needs_reauth" };
        }
        await repo.update(
          tx,
          workspaceId,
          connectionId,
          {
            refreshFailures: Math.min(row.refreshFailures + 1, 32_000),
            lastErrorCode: "provider_unavailable",
          },
          deps.clock.now(),
        );
        // The old token is kept while it still works.
        if (current.accessToken && row.accessExpiresAt && row.accessExpiresAt > deps.clock.now()) {
          return { kind: "ok", fresh: { credential: current, accessExpiresAt: row.accessExpiresAt } };
        }
        return { kind: "unavailable" };
      }
      const credential: StoredCredential = {
        kind: current.kind,
        accessToken: tokens.accessToken,
        refreshToken: tokens.refreshToken ?? current.refreshToken,
        tokenType: tokenTypeLabel(tokens.tokenType),
      };
      const now = deps.clock.now();
      const accessExpiresAt = tokens.expiresAt ?? null;
      await repo.writeCredential(
        tx,
        workspaceId,
        connectionId,
        {
          credentialEnvelope: deps.encryptor.encryptJson(
            credential,
            connectionAad(connectionId, workspaceId),
          ),
          accessExpiresAt,
          ...(tokens.refreshExpiresAt ? { refreshExpiresAt: tokens.refreshExpiresAt } : {}),
          lastRefreshAt: now,
          refreshFailures: 0,
          lastErrorCode: null,
          status: "active",
        },
        now,
      );
      await deps.invalidation.publish(tx, { k: "connection", id: connectionId, w: workspaceId });
      return { kind: "ok", fresh: { credential, accessExpiresAt } };
    });
    switch (outcome.kind) {
      case "ok":
        return outcome.fresh;
      case "needs_reauth":
        throw needsReauth();
      case "unavailable":
        throw new AppError("PROVIDER_UNAVAILABLE", "The provider could not refresh the access token.", {
          headers: { "retry-after": "10" },
        });
      case "not_configured":
        throw new AppError("PROVIDER_NOT_CONFIGURED", "No OAuth client is configured for this provider.");
      case "unusable":
        if (outcome.status === "revoked")
          throw new AppError("CONNECTION_REVOKED", "The connection was revoked.", {
            hint: "Use another connection or request a new one.",
          });
        if (outcome.status === "error")
          throw new AppError("CONNECTION_ERROR", "The connection is in an error state.", {
            hint: "Ask a workspace member to test or reconnect it.",
          });
        throw needsReauth();
    }
  }

  return {
    /** True when this credential is an OAuth token that has (almost) run out. */
    needsRefresh(row: ConnectionRow, credential: StoredCredential | null): boolean {
      if (row.authType !== "oauth" && row.authType !== "device") return false;
      if (!credential?.accessToken) return true;
      return !stillFresh(row.accessExpiresAt);
    },

    /**
     * A usable credential for the connection: the stored one while it has more than 60 s left,
     * else a refreshed one (one refresh per connection across callers and replicas).
     */
    async freshCredential(
      workspaceId: string,
      connectionId: string,
      known?: { row: ConnectionRow; credential: StoredCredential | null },
    ): Promise<FreshCredential> {
      const row = known?.row ?? (await repo.find(deps.database.db, workspaceId, connectionId));
      if (row) {
        const credential = known?.credential ?? open(row);
        if (credential?.accessToken && stillFresh(row.accessExpiresAt)) {
          return { credential, accessExpiresAt: row.accessExpiresAt };
        }
      }
      let pending = inFlight.get(connectionId);
      if (!pending) {
        pending = refreshLocked(workspaceId, connectionId, row).finally(() => inFlight.delete(connectionId));
        inFlight.set(connectionId, pending);
      }
      return pending;
    },
  };
}
export type TokenRefresher = ReturnType<typeof createTokenRefresher>;
