import {
  AGENT_SCOPES,
  type AgentId,
  type AgentPublicJwk,
  type Principal,
  type WorkspaceId,
} from "@agenthifive/contracts";
import { generateToken, hashToken, tokenDisplayPrefix } from "@agenthifive/security";
import { calculateJwkThumbprint, importJWK } from "jose";
import type { Database } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { AppError, conflict } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { createTtlCache } from "../../plugins/principal-cache.js";
import { insertAuditEvent } from "../audit/index.js";
import type { EventHub } from "../events/index.js";
import { createAgentRepo } from "./agents.repo.js";
import {
  ASSERTION_ALGS,
  ASSERTION_LEEWAY_SECONDS,
  ASSERTION_MAX_LIFETIME_SECONDS,
  readAssertion,
  verifyAssertion,
} from "./assertion.js";
import { createTokenIssuer } from "./token-issuer.js";

const MAX_LIVE_TOKENS = 10;
const TOKEN_CACHE_TTL_MS = 5_000;
const AGENT_CACHE_TTL_MS = 30_000;
const LAST_SEEN_EVERY_MS = 60_000;

export interface AgentAuthDeps {
  database: Database;
  clock: Clock;
  invalidation: InvalidationBus;
  tokenEndpoint: string;
  /** An extra accepted `aud` (AGENT_TOKEN_AUDIENCE). */
  audienceAlias?: string;
  tokenTtlSeconds: number;
  /** Token requests per agent per minute on this replica (anti-abuse). */
  perAgentPerMinute: number;
  events?: Pick<EventHub, "emit">;
}

type AgentPrincipal = Extract<Principal, { kind: "agent" }>;
interface CachedToken {
  principal: AgentPrincipal;
  expiresAt: Date;
  agentDisabled: boolean;
}

const bootstrapInvalid = () =>
  new AppError("BOOTSTRAP_INVALID", "The bootstrap secret is not valid.", {
    hint: "Ask a workspace admin for a new bootstrap secret (they expire after an hour and work once).",
  });

/**
 * Agent enrollment and authentication (API.md §3.5): single-use bootstrap secrets, RFC 7523
 * client assertions with single-use jti, and the opaque token lookup of the hot path.
 */
export function createAgentAuthService(deps: AgentAuthDeps) {
  const repo = createAgentRepo();
  const { db } = deps.database;
  const audiences = [deps.tokenEndpoint, ...(deps.audienceAlias ? [deps.audienceAlias] : [])];
  const tokens = createTtlCache<CachedToken | null>(TOKEN_CACHE_TTL_MS);
  const agentKeys = createTtlCache<Awaited<ReturnType<typeof repo.findForAuth>> | null>(AGENT_CACHE_TTL_MS);
  const lastSeenWritten = new Map<string, number>();
  const perAgent = new Map<string, { windowStart: number; count: number }>();
  const issuer = createTokenIssuer({ database: deps.database, maxLive: MAX_LIVE_TOKENS });

  deps.invalidation.subscribe((m) => {
    if (m === "all") {
      tokens.clear();
      agentKeys.clear();
    } else if (m.k === "agent") {
      // Disable, re-key, delete: rare, so dropping every cached token is simple and always right.
      tokens.clear();
      agentKeys.delete(m.id);
    } else if (m.k === "agent_token") {
      tokens.clear();
    }
  });

  function throttle(agentId: string, nowMs: number) {
    const slot = perAgent.get(agentId);
    if (!slot || nowMs - slot.windowStart >= 60_000) {
      perAgent.set(agentId, { windowStart: nowMs, count: 1 });
      return;
    }
    slot.count += 1;
    if (slot.count > deps.perAgentPerMinute) {
      const retry = Math.ceil((slot.windowStart + 60_000 - nowMs) / 1000);
      throw new AppError("RATE_LIMITED", "Too many token requests for this agent.", {
        headers: { "retry-after": String(retry) },
        hint: `Reuse the access token until it nears expiry; retry in ${retry} s.`,
      });
    }
  }

  async function loadAgent(agentId: string) {
    let agent = agentKeys.get(agentId);
    if (agent === undefined) {
      agent = (await repo.findForAuth(db, agentId)) ?? null;
      agentKeys.set(agentId, agent);
    }
    return agent;
  }

  return {
    async bootstrap(secret: string, publicKey: AgentPublicJwk, requestId: string, ip: string) {
      const alg = publicKey.kty === "OKP" ? "EdDSA" : "ES256";
      try {
        await importJWK(publicKey, alg); // a point that is not on the curve fails here, secret untouched
      } catch {
        throw new AppError("VALIDATION_FAILED", "The public key is not a valid key.", {
          details: {
            issues: [{ path: "publicKey", message: "not a valid public key", code: "invalid_key" }],
          },
        });
      }
      const jwk: Record<string, string> =
        publicKey.kty === "OKP"
          ? { kty: "OKP", crv: "Ed25519", x: publicKey.x }
          : { kty: "EC", crv: "P-256", x: publicKey.x, y: publicKey.y };
      const thumbprint = await calculateJwkThumbprint(jwk);
      const hash = hashToken(secret);
      const now = deps.clock.now();
      try {
        const result = await db.transaction(async (tx) => {
          const consumed = await repo.consumeSecret(tx, hash, now);
          if (!consumed) return undefined;
          const agent = await repo.lockForUpdate(tx, consumed.workspaceId, consumed.agentId);
          if (!agent || agent.status === "disabled") throw bootstrapInvalid();
          const rekey = Boolean(agent.publicJwk);
          await repo.update(
            tx,
            consumed.workspaceId,
            agent.id,
            {
              publicJwk: jwk,
              keyThumbprint: thumbprint,
              status: "active",
              ...(rekey ? { rekeyedAt: now } : { enrolledAt: now }),
            },
            now,
          );
          if (rekey) await repo.revokeTokens(tx, consumed.workspaceId, agent.id, now);
          await insertAuditEvent(tx, {
            workspaceId: consumed.workspaceId,
            occurredAt: now,
            actorType: "agent",
            actorId: agent.id,
            agentId: agent.id,
            action: rekey ? "agent.rekeyed" : "agent.enrolled",
            targetType: "agent",
            targetId: agent.id,
            outcome: "success",
            requestId,
            details: { keyThumbprint: thumbprint, alg, ip },
          });
          await deps.invalidation.publish(tx, { k: "agent", id: agent.id, w: consumed.workspaceId });
          await deps.events?.emit(tx, {
            workspaceId: consumed.workspaceId,
            type: "agent.enrolled",
            resourceId: agent.id,
          });
          return { agentId: agent.id, workspaceId: consumed.workspaceId };
        });
        if (!result) {
          // Used, revoked, expired or unknown: one answer. Audit only when the secret resolves.
          const owner = await repo.findSecretOwner(db, hash);
          if (owner) {
            await insertAuditEvent(db, {
              workspaceId: owner.workspaceId,
              occurredAt: now,
              actorType: "agent",
              actorId: owner.agentId,
              agentId: owner.agentId,
              action: "agent.bootstrap_failed",
              targetType: "agent",
              targetId: owner.agentId,
              outcome: "failure",
              code: "BOOTSTRAP_INVALID",
              requestId,
              details: { ip },
            });
          }
          throw bootstrapInvalid();
        }
        return {
          agentId: result.agentId,
          workspaceId: result.workspaceId,
          status: "active" as const,
          keyThumbprint: thumbprint,
          tokenEndpoint: deps.tokenEndpoint,
          assertion: {
            audience: deps.tokenEndpoint,
            maxLifetimeSeconds: ASSERTION_MAX_LIFETIME_SECONDS,
            algs: [...ASSERTION_ALGS],
          },
        };
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict(
            "This key is already enrolled for another agent.",
            "key_in_use",
            "Generate a new key pair for each agent.",
          );
        }
        throw e;
      }
    },

    async issueToken(assertion: string, requestId: string) {
      const now = deps.clock.now();
      const claimed = readAssertion(assertion);
      const agentId = claimed.agentId;
      const agent = await loadAgent(agentId);
      if (!agent) {
        throw new AppError("ASSERTION_INVALID", "The client assertion is not valid: unknown agent.", {
          hint: "Check the agent id, or enroll the agent with a bootstrap secret.",
          details: { reason: "unknown agent" },
        });
      }
      if (!agent.publicJwk) {
        throw new AppError("AGENT_NOT_ENROLLED", "The agent has no registered key.", {
          hint: "Enroll the agent with POST /v1/agents/bootstrap first.",
        });
      }
      const { jti, exp } = await verifyAssertion(
        assertion,
        claimed.alg,
        { id: agent.id, publicJwk: agent.publicJwk },
        audiences,
        now,
      );
      if (agent.status === "disabled") {
        await insertAuditEvent(db, {
          workspaceId: agent.workspaceId,
          occurredAt: now,
          actorType: "agent",
          actorId: agent.id,
          agentId: agent.id,
          action: "agent.token_denied",
          outcome: "failure",
          code: "AGENT_DISABLED",
          requestId,
        });
        throw new AppError("AGENT_DISABLED", "The agent is disabled.", {
          hint: "Ask a workspace admin to enable it.",
        });
      }
      throttle(agent.id, now.getTime());
      const token = generateToken("ah5t");
      const expiresAt = new Date(now.getTime() + deps.tokenTtlSeconds * 1000);
      let issued: boolean;
      try {
        issued = await issuer.issue({
          jti,
          jtiExpiresAt: new Date((exp + ASSERTION_LEEWAY_SECONDS) * 1000),
          id: newId(),
          workspaceId: agent.workspaceId,
          agentId: agent.id,
          tokenHash: hashToken(token),
          prefix: tokenDisplayPrefix(token),
          scopes: [...AGENT_SCOPES],
          expiresAt,
          now,
        });
      } catch (err) {
        // The replay check could not be made: fail closed.
        throw new AppError("SERVICE_UNAVAILABLE", "Could not record the assertion.", {
          headers: { "retry-after": "1" },
          details: { reason: err instanceof Error ? err.name : "error" },
        });
      }
      if (!issued) {
        throw new AppError("ASSERTION_REPLAYED", "This client assertion was already used.", {
          hint: "Sign a new assertion with a fresh jti for every token request.",
        });
      }
      return {
        access_token: token,
        token_type: "Bearer" as const,
        expires_in: deps.tokenTtlSeconds,
        scope: AGENT_SCOPES.join(" "),
      };
    },

    /** The hot path: a hash lookup cached for 5 s and dropped on NOTIFY; no write per request. */
    async resolveToken(token: string): Promise<Principal | null> {
      const hash = hashToken(token);
      const key = hash.toString("base64url");
      let cached = tokens.get(key);
      if (cached === undefined) {
        const row = await repo.findTokenByHash(db, hash);
        cached =
          row && !row.revokedAt
            ? {
                expiresAt: row.expiresAt,
                agentDisabled: row.agentStatus === "disabled",
                principal: {
                  kind: "agent",
                  agentId: row.agentId as AgentId,
                  workspaceId: row.workspaceId as WorkspaceId,
                  roles: [],
                  scopes: row.scopes as AgentPrincipal["scopes"],
                  credential: "agent_token",
                  credentialId: row.id,
                  expiresAt: row.expiresAt.getTime(),
                },
              }
            : null;
        tokens.set(key, cached);
      }
      if (!cached) return null;
      if (cached.agentDisabled) {
        throw new AppError("AGENT_DISABLED", "The agent is disabled.", {
          hint: "Ask a workspace admin to enable it.",
        });
      }
      const now = deps.clock.now();
      if (cached.expiresAt <= now) {
        throw new AppError("TOKEN_EXPIRED", "The agent token has expired.", {
          hint: "Sign a new client assertion and call POST /v1/agents/token.",
        });
      }
      const agentId = cached.principal.agentId;
      const last = lastSeenWritten.get(agentId) ?? 0;
      if (now.getTime() - last > LAST_SEEN_EVERY_MS) {
        lastSeenWritten.set(agentId, now.getTime());
        void repo.touchLastSeen(db, agentId, now).catch(() => undefined);
      }
      return cached.principal;
    },

    async logout(token: string) {
      const revoked = await db.transaction(async (tx) => {
        const row = await repo.revokeTokenByHash(tx, hashToken(token), deps.clock.now());
        if (row) await deps.invalidation.publish(tx, { k: "agent_token", id: row.id, w: row.workspaceId });
        return row;
      });
      tokens.delete(hashToken(token).toString("base64url"));
      return Boolean(revoked);
    },
  };
}
export type AgentAuthService = ReturnType<typeof createAgentAuthService>;
