import { scopesForRole } from "@agenthifive/contracts";
import {
  generateCodeVerifier,
  generateNonce,
  generateState,
  isOAuthConnectorError,
  type TokenSet,
} from "@agenthifive/oauth-connectors";
import { type EnvelopeEncryptor, hashToken } from "@agenthifive/security";
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import { pendingConnections } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import { AppError, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import type { LiveRole, UserPrincipal } from "../workspaces/index.js";
import { memberMayAct, notOwner } from "../workspaces/index.js";
import { type ConnectionRow, createConnectionRepo } from "./connections.repo.js";
import type { OAuthClientResolver } from "./oauth-clients.js";
import type { OAuthConnectionWriter, PendingRow } from "./oauth-connection-writer.js";
import { serviceAndScopes } from "./service-scopes.js";

const PENDING_TTL_MS = 10 * 60_000;
/** Dashboard-relative paths only (API.md §3.2 rule 5). */
// A single leading slash, no backslash or control character anywhere (browsers read `/\x` and
// `/<tab>/x` as another origin).
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
export const RETURN_TO_PATTERN = /^\/(?![/\\])[^\\\u0000-\u001f\u007f]*$/;

export const pendingAad = (id: string, workspaceId: string) => `t_pending_connections:${id}:${workspaceId}`;

export interface StartInput {
  label?: string;
  oauthAppId?: string;
  scopes?: string[];
  reconnectConnectionId?: string;
  returnTo?: string;
}

/** Redirect error codes of the callback (the dashboard shows a message for each). */
export type CallbackErrorCode =
  | "OAUTH_STATE_INVALID"
  | "OAUTH_EXCHANGE_FAILED"
  | "ACCESS_DENIED"
  | "CONFLICT";

/**
 * The OAuth authorization-code + PKCE connection flow (API.md §3.2): `start` records a pending
 * flow bound to the user and workspace; `callback` consumes it exactly once, checks that the
 * browser's session is the same user (still allowed to connect), exchanges the code and stores
 * the tokens encrypted. Every callback outcome is a redirect to the fixed dashboard page.
 */
export function createOAuthFlowService(deps: {
  database: Database;
  clock: Clock;
  encryptor: EnvelopeEncryptor;
  invalidation: InvalidationBus;
  clients: OAuthClientResolver;
  liveRole: LiveRole;
  webUrl: string;
  persist: OAuthConnectionWriter;
  /** API.md §3.3 resolution: explicit app → the workspace's only app → platform (null). */
  resolveAppId: (workspaceId: string, provider: string, explicit?: string) => Promise<string | null>;
}) {
  const persist = deps.persist;
  const repo = createConnectionRepo();
  const { db } = deps.database;

  const fail = (code: CallbackErrorCode) => `${deps.webUrl}/connections?error=${code}`;

  async function consume(stateHash: Buffer): Promise<PendingRow | undefined> {
    const rows = await db
      .update(pendingConnections)
      .set({ consumedAt: sql`now()`, status: "complete", updatedAt: sql`now()` })
      .where(
        and(
          eq(pendingConnections.stateHash, stateHash),
          isNull(pendingConnections.consumedAt),
          gt(pendingConnections.expiresAt, sql`now()`),
        ),
      )
      .returning();
    return rows[0];
  }

  const setPendingStatus = (id: string, status: PendingRow["status"], resultConnectionId?: string) =>
    db
      .update(pendingConnections)
      .set({ status, ...(resultConnectionId ? { resultConnectionId } : {}), updatedAt: deps.clock.now() })
      .where(eq(pendingConnections.id, id));

  return {
    async start(p: UserPrincipal, providerId: string, input: StartInput) {
      const provider = deps.clients.provider(providerId);
      if (!provider) throw notFound("Provider");
      const reconnectRow = input.reconnectConnectionId
        ? await repo.find(db, p.workspaceId, input.reconnectConnectionId)
        : undefined;
      const oauthAppId =
        input.oauthAppId || !reconnectRow
          ? await deps.resolveAppId(p.workspaceId, providerId, input.oauthAppId)
          : reconnectRow.oauthAppId;
      const connector = await deps.clients.connectorFor(providerId, {
        workspaceId: p.workspaceId,
        oauthAppId,
      });
      if (!connector) {
        throw new AppError("PROVIDER_NOT_CONFIGURED", "No OAuth app is configured for this provider.", {
          hint: "Ask an admin to add one (POST /v1/oauth-apps) or configure the platform app.",
        });
      }
      const { service, scopes } = serviceAndScopes(provider, input.scopes);
      if (input.returnTo !== undefined && !RETURN_TO_PATTERN.test(input.returnTo)) {
        throw new AppError("VALIDATION_FAILED", "returnTo must be a dashboard-relative path.", {
          details: {
            issues: [{ path: "returnTo", message: "must start with a single /", code: "invalid_format" }],
          },
        });
      }
      let reconnect: ConnectionRow | undefined;
      if (input.reconnectConnectionId) {
        reconnect = await repo.find(db, p.workspaceId, input.reconnectConnectionId);
        if (!reconnect || reconnect.provider !== providerId) throw notFound("Connection");
        if (!memberMayAct(p.roles[0], p.userId, reconnect.createdBy)) {
          throw notOwner("Members can only reconnect connections they created.", "connections:write");
        }
        if (reconnect.status === "revoked") {
          throw new AppError("CONNECTION_REVOKED", "The connection was revoked.", {
            hint: "Create a new connection instead.",
          });
        }
      }
      const id = newId();
      const state = generateState();
      const codeVerifier = generateCodeVerifier();
      const nonce = generateNonce();
      const authorizationUrl = await connector
        .buildAuthorizationUrl({ scopes, state, codeVerifier, nonce })
        .catch((error: unknown) => {
          if (isOAuthConnectorError(error)) {
            throw new AppError("PROVIDER_UNAVAILABLE", "The provider could not be reached.", {
              headers: { "retry-after": "10" },
            });
          }
          throw error;
        });
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + PENDING_TTL_MS);
      await db.insert(pendingConnections).values({
        id,
        workspaceId: p.workspaceId,
        userId: p.userId,
        flow: "auth_code",
        provider: providerId,
        service: service.id,
        label: input.label ?? reconnect?.label ?? null,
        requestedScopes: scopes,
        oauthAppId,
        reconnectConnectionId: reconnect?.id ?? null,
        stateHash: hashToken(state),
        pkceVerifierEnvelope: deps.encryptor.encryptJson({ codeVerifier }, pendingAad(id, p.workspaceId)),
        nonce,
        redirectUri: deps.clients.redirectUri(providerId),
        returnTo: input.returnTo ?? null,
        status: "pending",
        expiresAt,
        createdAt: now,
        updatedAt: now,
      });
      return {
        authorizationUrl: authorizationUrl.toString(),
        pendingConnectionId: id,
        expiresAt: expiresAt.toISOString(),
      };
    },

    /** Always returns the dashboard URL to redirect to; never throws for a bad callback. */
    async callback(
      providerId: string,
      query: Record<string, string>,
      sessionUserId: () => Promise<string | undefined>,
      requestId: string,
    ): Promise<string> {
      const state = query.state;
      if (typeof state !== "string" || state === "" || state.length > 512) return fail("OAUTH_STATE_INVALID");
      // Rule 3: consumed before anything else, single use even when what follows fails.
      const pending = await consume(hashToken(state));
      if (!pending || pending.provider !== providerId || pending.flow !== "auth_code") {
        return fail("OAUTH_STATE_INVALID");
      }
      // Rule 2: the browser's session must be the initiating user, still allowed to connect.
      const userId = await sessionUserId();
      const role = userId === pending.userId ? await deps.liveRole(pending.workspaceId, userId) : undefined;
      if (!role || !scopesForRole(role).includes("connections:write")) {
        await setPendingStatus(pending.id, "error");
        return fail("OAUTH_STATE_INVALID");
      }
      if (pending.reconnectConnectionId) {
        // Checked again at the end: the person may have been demoted since the start.
        const target = await repo.find(db, pending.workspaceId, pending.reconnectConnectionId);
        if (!target || !memberMayAct(role, pending.userId, target.createdBy)) {
          await setPendingStatus(pending.id, "error");
          return fail("OAUTH_STATE_INVALID");
        }
      }
      if (query.error !== undefined) {
        await setPendingStatus(pending.id, query.error === "access_denied" ? "denied" : "error");
        return fail(query.error === "access_denied" ? "ACCESS_DENIED" : "OAUTH_EXCHANGE_FAILED");
      }
      const connector = await deps.clients.connectorFor(providerId, pending);
      if (!connector || !pending.pkceVerifierEnvelope) return fail("OAUTH_EXCHANGE_FAILED");
      const { codeVerifier } = deps.encryptor.decryptJson<{ codeVerifier: string }>(
        pending.pkceVerifierEnvelope,
        pendingAad(pending.id, pending.workspaceId),
      );
      let tokens: TokenSet;
      try {
        tokens = await connector.exchangeCode({
          params: query,
          expectedState: state,
          codeVerifier,
          nonce: pending.nonce ?? undefined,
          requestedScopes: pending.requestedScopes,
        });
      } catch (error) {
        await setPendingStatus(pending.id, "error");
        if (isOAuthConnectorError(error) && error.code === "ERR_PROVIDER_ACCESS_DENIED")
          return fail("ACCESS_DENIED");
        if (isOAuthConnectorError(error)) return fail("OAUTH_EXCHANGE_FAILED");
        throw error;
      }
      let connectionId: string;
      try {
        connectionId = await persist(pending, tokens, requestId);
      } catch (error) {
        await setPendingStatus(pending.id, "error");
        if (isUniqueViolation(error) || (error instanceof AppError && error.code === "CONFLICT")) {
          return fail("CONFLICT");
        }
        throw error;
      }
      await setPendingStatus(pending.id, "complete", connectionId);
      const back = pending.returnTo ? `&returnTo=${encodeURIComponent(pending.returnTo)}` : "";
      return `${deps.webUrl}/connections?connectionId=${connectionId}${back}`;
    },
  };
}
export type OAuthFlowService = ReturnType<typeof createOAuthFlowService>;
