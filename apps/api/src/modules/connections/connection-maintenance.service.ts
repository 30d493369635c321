import type { Connection } from "@agenthifive/contracts";
import { isOAuthConnectorError } from "@agenthifive/oauth-connectors";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { AppError, notFound } from "../../lib/errors.js";
import { auditUserAction } from "../audit/index.js";
import type { EventHub } from "../events/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { memberMayAct, notOwner } from "../workspaces/index.js";
import { type ConnectionRow, createConnectionRepo } from "./connections.repo.js";
import { toConnection } from "./connections.service.js";
import { type ApiKeyVerifier, connectionAad, openCredential, type StoredCredential } from "./credential.js";
import type { OAuthClientResolver } from "./oauth-clients.js";
import type { OAuthFlowService } from "./oauth-flow.service.js";
import type { TokenRefresher } from "./token-refresh.js";

const isOAuth = (row: ConnectionRow) => row.authType === "oauth" || row.authType === "device";

export interface ProbeResult {
  ok: boolean;
  status: Connection["status"];
  checkedAt: string;
  accountId?: string;
  error?: { code: string; message: string };
}

/**
 * Keeping a connection usable (API.md §3.2): reconnect (a new OAuth grant into the same row, or
 * a new key checked live) and the provider probe behind `POST /v1/connections/{id}/test`, which
 * moves the connection between `active`, `needs_reauth` and `error` on what the provider says.
 */
export function createConnectionMaintenance(deps: {
  database: Database;
  clock: Clock;
  encryptor: EnvelopeEncryptor;
  invalidation: InvalidationBus;
  verifyApiKey: ApiKeyVerifier;
  oauth: OAuthFlowService;
  clients: OAuthClientResolver;
  refresher: TokenRefresher;
  events?: Pick<EventHub, "emit">;
}) {
  const repo = createConnectionRepo();
  const { db } = deps.database;

  async function load(p: UserPrincipal, id: string) {
    const row = await repo.find(db, p.workspaceId, id);
    if (!row) throw notFound("Connection");
    if (!memberMayAct(p.roles[0], p.userId, row.createdBy)) {
      throw notOwner("Members can only change connections they created.", "connections:write");
    }
    if (row.status === "revoked") {
      throw new AppError("CONNECTION_REVOKED", "The connection was revoked.", {
        hint: "Create a new connection instead.",
      });
    }
    return row;
  }

  async function setStatus(
    tx: DbOrTx,
    row: ConnectionRow,
    status: Connection["status"],
    code: string | null,
  ) {
    if (row.status === status && row.lastErrorCode === code) return;
    await repo.writeCredential(
      tx,
      row.workspaceId,
      row.id,
      { status, lastErrorCode: code },
      deps.clock.now(),
    );
    await deps.invalidation.publish(tx, { k: "connection", id: row.id, w: row.workspaceId });
    await deps.events?.emit(tx, {
      workspaceId: row.workspaceId,
      type: "connection.updated",
      resourceId: row.id,
    });
  }

  async function probeOAuth(row: ConnectionRow): Promise<{ accountId?: string }> {
    const fresh = await deps.refresher.freshCredential(row.workspaceId, row.id);
    const connector = await deps.clients.connectorFor(row.provider, row);
    if (!connector || !fresh.credential.accessToken) return {};
    const who = await connector.userInfo(fresh.credential.accessToken);
    return { accountId: who.providerAccountId };
  }

  async function probeKey(row: ConnectionRow): Promise<{ accountId?: string }> {
    if (!row.credentialEnvelope) throw new AppError("CONNECTION_NEEDS_REAUTH", "No credential is stored.");
    const credential = openCredential(deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId);
    const verified = await deps.verifyApiKey({
      provider: row.provider,
      service: row.service,
      secret: credential.secret ?? "",
      extra: credential.extra,
    });
    return { accountId: verified.accountId };
  }

  return {
    /** OAuth: a new authorization for the same connection id (policies kept). */
    async reconnectOAuth(p: UserPrincipal, id: string, input: { scopes?: string[] }) {
      const row = await load(p, id);
      if (!isOAuth(row)) {
        throw new AppError("VALIDATION_FAILED", "This connection uses a key: send the new one as `secret`.", {
          details: {
            issues: [{ path: "secret", message: "required for key connections", code: "required" }],
          },
        });
      }
      return deps.oauth.start(p, row.provider, {
        reconnectConnectionId: row.id,
        ...(input.scopes ? { scopes: input.scopes } : {}),
      });
    },

    /** API key / bot token: the new key is checked live, then replaces the old one in place. */
    async reconnectKey(
      p: UserPrincipal,
      id: string,
      input: { secret: string; extra?: Record<string, string> },
      requestId: string,
    ) {
      const row = await load(p, id);
      if (isOAuth(row)) {
        throw new AppError("VALIDATION_FAILED", "This is an OAuth connection: reconnect without a secret.", {
          hint: "POST /v1/connections/{id}/reconnect with {} and follow authorizationUrl.",
        });
      }
      const previous = row.credentialEnvelope
        ? openCredential(deps.encryptor, row.credentialEnvelope, row.id, row.workspaceId)
        : undefined;
      const extra = input.extra ?? previous?.extra;
      await deps.verifyApiKey({ provider: row.provider, service: row.service, secret: input.secret, extra });
      const credential: StoredCredential = { kind: row.authType, secret: input.secret, extra };
      return db.transaction(async (tx) => {
        const now = deps.clock.now();
        await repo.writeCredential(
          tx,
          p.workspaceId,
          id,
          {
            credentialEnvelope: deps.encryptor.encryptJson(credential, connectionAad(id, p.workspaceId)),
            status: "active",
            lastErrorCode: null,
            refreshFailures: 0,
          },
          now,
        );
        await auditUserAction(tx, p, now, {
          action: "connection.reconnected",
          targetType: "connection",
          targetId: id,
          connectionId: id,
          requestId,
          details: { provider: row.provider, service: row.service, authType: row.authType },
        });
        await deps.invalidation.publish(tx, { k: "connection", id, w: p.workspaceId });
        await deps.events?.emit(tx, {
          workspaceId: p.workspaceId,
          type: "connection.updated",
          resourceId: id,
        });
        const updated = await repo.find(tx, p.workspaceId, id);
        return toConnection(updated as ConnectionRow);
      });
    },

    /**
     * One cheap authenticated call to the provider. Rejected credentials move the connection to
     * `needs_reauth`; a provider that cannot be reached changes nothing (it may be us, or them).
     */
    async test(p: UserPrincipal, id: string, requestId: string): Promise<ProbeResult> {
      const row = await repo.find(db, p.workspaceId, id);
      if (!row) throw notFound("Connection");
      if (row.status === "revoked") {
        throw new AppError("CONNECTION_REVOKED", "The connection was revoked.", {
          hint: "Create a new connection instead.",
        });
      }
      const checkedAt = deps.clock.now().toISOString();
      let outcome: ProbeResult;
      try {
        const who = isOAuth(row) ? await probeOAuth(row) : await probeKey(row);
        await db.transaction((tx) => setStatus(tx, row, "active", null));
        outcome = {
          ok: true,
          status: "active",
          checkedAt,
          ...(who.accountId ? { accountId: who.accountId } : {}),
        };
      } catch (error) {
        const code = probeErrorCode(error);
        const status = code === "PROVIDER_UNAVAILABLE" ? row.status : "needs_reauth";
        if (status !== row.status) await db.transaction((tx) => setStatus(tx, row, status, code));
        outcome = {
          ok: false,
          status,
          checkedAt,
          error: {
            code,
            message:
              code === "PROVIDER_UNAVAILABLE"
                ? "The provider could not be reached."
                : "The provider refused the stored credential.",
          },
        };
      }
      await auditUserAction(db, p, deps.clock.now(), {
        action: "connection.tested",
        targetType: "connection",
        targetId: id,
        connectionId: id,
        requestId,
        details: {
          ok: outcome.ok,
          status: outcome.status,
          ...(outcome.error ? { code: outcome.error.code } : {}),
        },
      });
      return outcome;
    },
  };
}
export type ConnectionMaintenance = ReturnType<typeof createConnectionMaintenance>;

function probeErrorCode(error: unknown): string {
  if (error instanceof AppError) {
    if (error.code === "PROVIDER_UNAVAILABLE") return "PROVIDER_UNAVAILABLE";
    return error.code === "API_KEY_REJECTED" ? "API_KEY_REJECTED" : "CONNECTION_NEEDS_REAUTH";
  }
  if (isOAuthConnectorError(error)) {
    return error.code === "ERR_PROVIDER_UNAVAILABLE" ? "PROVIDER_UNAVAILABLE" : "CONNECTION_NEEDS_REAUTH";
  }
  throw error;
}
