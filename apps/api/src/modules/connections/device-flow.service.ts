import { scopesForRole } from "@agenthifive/contracts";
import { isOAuthConnectorError } from "@agenthifive/oauth-connectors";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import { and, asc, eq, isNull, lte, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { pendingConnections } from "../../db/schema/index.js";
import type { Clock } from "../../lib/clock.js";
import { AppError, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import type { LiveRole, UserPrincipal } from "../workspaces/index.js";
import type { OAuthClientResolver } from "./oauth-clients.js";
import type { OAuthConnectionWriter, PendingRow } from "./oauth-connection-writer.js";
import { pendingAad } from "./oauth-flow.service.js";
import { serviceAndScopes } from "./service-scopes.js";

/** How many due device flows one poller tick handles (each is one provider request). */
const BATCH = 20;
/** A claimed row is not polled again by another replica before this lease ends. */
const LEASE_MS = 30_000;

export interface DeviceStartInput {
  provider: string;
  oauthAppId?: string;
  label?: string;
  scopes?: string[];
}

/**
 * RFC 8628 device connections (API.md §3.2): `start` asks the provider for a user code and
 * stores the device code encrypted; the API (never the browser) polls the provider from a
 * background job at the provider's interval, honouring `slow_down`, and stores the tokens once
 * the person approves on the provider's page. The status route only reads the row.
 */
export function createDeviceFlowService(deps: {
  database: Database;
  clock: Clock;
  encryptor: EnvelopeEncryptor;
  clients: OAuthClientResolver;
  persist: OAuthConnectionWriter;
  resolveAppId: (workspaceId: string, provider: string, explicit?: string) => Promise<string | null>;
  /** The initiator's role now: a flow finishing after they left or were demoted stores nothing. */
  liveRole: LiveRole;
}) {
  const { db } = deps.database;

  const finish = (id: string, status: PendingRow["status"], resultConnectionId?: string) =>
    db
      .update(pendingConnections)
      .set({
        status,
        consumedAt: deps.clock.now(),
        nextPollAt: null,
        ...(resultConnectionId ? { resultConnectionId } : {}),
        updatedAt: deps.clock.now(),
      })
      .where(and(eq(pendingConnections.id, id), isNull(pendingConnections.consumedAt)))
      .returning({ id: pendingConnections.id });

  /** One provider poll for one claimed row; never throws (a failure is recorded on the row). */
  async function pollOne(row: PendingRow, requestId: string): Promise<void> {
    const now = deps.clock.now();
    if (row.expiresAt <= now) {
      await finish(row.id, "expired");
      return;
    }
    const connector = await deps.clients.connectorFor(row.provider, row);
    if (!connector || !row.deviceCodeEnvelope) {
      await finish(row.id, "error");
      return;
    }
    const { deviceCode } = deps.encryptor.decryptJson<{ deviceCode: string }>(
      row.deviceCodeEnvelope,
      pendingAad(row.id, row.workspaceId),
    );
    const interval = row.pollIntervalS ?? 5;
    try {
      const result = await connector.pollDeviceAuthorization(deviceCode, {
        intervalSeconds: interval,
        requestedScopes: row.requestedScopes,
      });
      if (result.status === "pending" || result.status === "slow_down") {
        const next = result.status === "slow_down" ? result.interval : interval;
        await db
          .update(pendingConnections)
          .set({
            pollIntervalS: next,
            nextPollAt: new Date(now.getTime() + next * 1000),
            updatedAt: now,
          })
          .where(eq(pendingConnections.id, row.id));
        return;
      }
      if (result.status === "denied" || result.status === "expired") {
        await finish(row.id, result.status);
        return;
      }
      const role = await deps.liveRole(row.workspaceId, row.userId);
      if (!role || !scopesForRole(role).includes("connections:write")) {
        await finish(row.id, "error");
        return;
      }
      // Claim the row for good before storing, so two replicas never store the tokens twice.
      const claimed = await finish(row.id, "complete");
      if (claimed.length === 0) return;
      const connectionId = await deps.persist(row, result.tokens, requestId).catch(() => undefined);
      // A failed store (the account is already connected, say) must not leave the flow pending.
      await db
        .update(pendingConnections)
        .set(
          connectionId
            ? { resultConnectionId: connectionId, updatedAt: deps.clock.now() }
            : { status: "error", updatedAt: deps.clock.now() },
        )
        .where(eq(pendingConnections.id, row.id));
    } catch (error) {
      // A transient provider failure: try again at the next interval, until the code expires.
      const transient = isOAuthConnectorError(error) && error.code === "ERR_PROVIDER_UNAVAILABLE";
      if (transient) {
        await db
          .update(pendingConnections)
          .set({ nextPollAt: new Date(now.getTime() + interval * 1000), updatedAt: now })
          .where(eq(pendingConnections.id, row.id));
        return;
      }
      await finish(row.id, "error");
    }
  }

  return {
    async start(p: UserPrincipal, input: DeviceStartInput) {
      const provider = deps.clients.provider(input.provider);
      if (!provider) throw notFound("Provider");
      const oauthAppId = await deps.resolveAppId(p.workspaceId, input.provider, input.oauthAppId);
      const connector = await deps.clients.connectorFor(input.provider, {
        workspaceId: p.workspaceId,
        oauthAppId,
      });
      if (!connector || !provider.capabilities.deviceFlow) {
        throw new AppError("PROVIDER_NOT_CONFIGURED", "This provider does not offer device sign-in here.", {
          hint: "Use POST /v1/oauth/{provider}/start (browser sign-in) instead.",
        });
      }
      const { service, scopes } = serviceAndScopes(provider, input.scopes);
      const auth = await connector.startDeviceAuthorization({ scopes }).catch((error: unknown) => {
        if (isOAuthConnectorError(error)) {
          throw new AppError("PROVIDER_UNAVAILABLE", "The provider could not be reached.", {
            headers: { "retry-after": "10" },
          });
        }
        throw error;
      });
      const id = newId();
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + auth.expiresIn * 1000);
      await db.insert(pendingConnections).values({
        id,
        workspaceId: p.workspaceId,
        userId: p.userId,
        flow: "device",
        provider: input.provider,
        service: service.id,
        label: input.label ?? null,
        requestedScopes: scopes,
        oauthAppId,
        deviceCodeEnvelope: deps.encryptor.encryptJson(
          { deviceCode: auth.deviceCode },
          pendingAad(id, p.workspaceId),
        ),
        userCode: auth.userCode,
        verificationUri: auth.verificationUri,
        pollIntervalS: auth.interval,
        nextPollAt: new Date(now.getTime() + auth.interval * 1000),
        status: "pending",
        expiresAt,
        createdAt: now,
        updatedAt: now,
      });
      return {
        deviceFlowId: id,
        userCode: auth.userCode,
        verificationUri: auth.verificationUri,
        ...(auth.verificationUriComplete ? { verificationUriComplete: auth.verificationUriComplete } : {}),
        expiresAt: expiresAt.toISOString(),
        interval: auth.interval,
      };
    },

    /** Only the person who started it sees a flow (others get 404). */
    async status(p: UserPrincipal, id: string) {
      const [row] = await db
        .select()
        .from(pendingConnections)
        .where(
          and(
            eq(pendingConnections.id, id),
            eq(pendingConnections.workspaceId, p.workspaceId),
            eq(pendingConnections.userId, p.userId),
            eq(pendingConnections.flow, "device"),
          ),
        )
        .limit(1);
      if (!row) throw notFound("Device flow");
      const expired =
        row.status === "expired" || (row.status === "pending" && row.expiresAt <= deps.clock.now());
      if (expired) {
        throw new AppError("DEVICE_CODE_EXPIRED", "The device code expired before it was approved.", {
          hint: "Start the device flow again.",
        });
      }
      // A completed poll stores the connection just after claiming the row: report pending until then.
      if (row.status === "complete" && !row.resultConnectionId) return { status: "pending" as const };
      const status = row.status === "error" ? ("denied" as const) : row.status;
      return {
        status,
        ...(row.resultConnectionId ? { connectionId: row.resultConnectionId } : {}),
        ...(row.status === "error" ? { error: "OAUTH_EXCHANGE_FAILED" } : {}),
      };
    },

    /**
     * The poller job: claims due flows (moving their due time forward as a lease, with SKIP
     * LOCKED so replicas share the work) and polls each once. Returns how many it polled.
     */
    async pollDue(requestId = "job:device-flow-poller"): Promise<number> {
      const now = deps.clock.now();
      const due = db
        .select({ id: pendingConnections.id })
        .from(pendingConnections)
        .where(
          and(
            eq(pendingConnections.flow, "device"),
            eq(pendingConnections.status, "pending"),
            isNull(pendingConnections.consumedAt),
            lte(pendingConnections.nextPollAt, now),
          ),
        )
        .orderBy(asc(pendingConnections.nextPollAt))
        .limit(BATCH)
        .for("update", { skipLocked: true });
      const claimed = await db
        .update(pendingConnections)
        .set({ nextPollAt: new Date(now.getTime() + LEASE_MS), updatedAt: now })
        .where(sql`${pendingConnections.id} IN (${due})`)
        .returning();
      for (const row of claimed) await pollOne(row, requestId);
      return claimed.length;
    },
  };
}
export type DeviceFlowService = ReturnType<typeof createDeviceFlowService>;
