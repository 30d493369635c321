import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { Database } from "../../db/client.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { isUniqueViolation } from "../../lib/pg-errors.js";
import { auditUserAction } from "../audit/index.js";
import type { UserPrincipal } from "../workspaces/index.js";
import { memberMayAct, notOwner } from "../workspaces/index.js";
import { createOAuthAppRepo, type OAuthAppRow } from "./oauth-apps.repo.js";
import type { OAuthClientResolver, WorkspaceOAuthClient } from "./oauth-clients.js";

const oauthAppSecretAad = (id: string, workspaceId: string) => `t_workspace_oauth_apps:${id}:${workspaceId}`;

/**
 * Bring-your-own OAuth clients per workspace (API.md §3.3). The client secret is write-only: it
 * is stored as an envelope bound to the row and only ever decrypted to talk to the provider.
 */
export function createOAuthAppService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  encryptor: EnvelopeEncryptor;
  clients: Pick<OAuthClientResolver, "provider" | "redirectUri" | "platformProviderIds">;
}) {
  const repo = createOAuthAppRepo();
  const { db } = deps.database;

  const toOAuthApp = (row: OAuthAppRow) => ({
    id: row.id,
    provider: row.provider,
    label: row.label,
    clientId: row.clientId,
    tenantId: row.tenantId,
    redirectUri: deps.clients.redirectUri(row.provider),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  });

  async function assertLabelFree(workspaceId: string, label: string, except?: string) {
    const taken = await repo.byLabel(db, workspaceId, label);
    if (taken && taken.id !== except)
      throw conflict("That label is taken.", "label_taken", "Pick another label.");
  }

  const audit = (p: UserPrincipal, action: string, id: string, requestId: string, details = {}) =>
    auditUserAction(db, p, deps.clock.now(), {
      action,
      targetType: "oauth_app",
      targetId: id,
      requestId,
      details,
    });

  /** The app for an update or delete; a member changes only the apps they registered (§2.4). */
  async function forChange(p: UserPrincipal, id: string) {
    const current = await repo.find(db, p.workspaceId, id);
    if (!current) throw notFound("OAuth app");
    if (!memberMayAct(p.roles[0], p.userId, current.createdBy)) {
      throw notOwner(
        "Members can only change OAuth apps they registered.",
        "connections:write",
        "Ask a workspace admin.",
      );
    }
    return current;
  }
  return {
    async list(p: UserPrincipal, limit: number, cursor?: string) {
      const filters = { w: p.workspaceId };
      const after = deps.cursors.decode("oauth-apps", filters, cursor);
      const rows = await repo.list(db, p.workspaceId, limit, after);
      return {
        ...toPage(
          rows,
          limit,
          (r) => r.id,
          toOAuthApp,
          (k) => deps.cursors.encode("oauth-apps", filters, k),
        ),
        platformProviders: deps.clients.platformProviderIds(),
      };
    },

    async create(
      p: UserPrincipal,
      input: { provider: string; label: string; clientId: string; clientSecret: string; tenantId?: string },
      requestId: string,
    ) {
      if (!deps.clients.provider(input.provider)) {
        throw new AppError("VALIDATION_FAILED", "This provider does not use OAuth.", {
          hint: "See GET /v1/policy-templates for the providers and their services.",
          details: {
            issues: [{ path: "provider", message: "not an OAuth provider", code: "invalid_value" }],
          },
        });
      }
      await assertLabelFree(p.workspaceId, input.label);
      const id = newId();
      const now = deps.clock.now();
      const row: OAuthAppRow = {
        id,
        workspaceId: p.workspaceId,
        provider: input.provider,
        label: input.label,
        clientId: input.clientId,
        clientSecretEnvelope: deps.encryptor.encryptJson(
          { clientSecret: input.clientSecret },
          oauthAppSecretAad(id, p.workspaceId),
        ),
        tenantId: input.tenantId ?? null,
        version: 1,
        createdBy: p.userId,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await repo.insert(db, row);
      } catch (e) {
        if (isUniqueViolation(e)) {
          throw conflict("This client id is already registered for the provider.", "client_id_taken");
        }
        throw e;
      }
      await audit(p, "oauth_app.created", id, requestId, { provider: input.provider });
      return toOAuthApp(row);
    },

    async update(
      p: UserPrincipal,
      id: string,
      input: { label?: string; clientId?: string; clientSecret?: string },
      ifMatch: string | undefined,
      requestId: string,
    ) {
      const current = await forChange(p, id);
      const expected = ifMatch ? Number(/^"?v?(\d+)"?$/.exec(ifMatch)?.[1]) : current.version;
      if (!expected || expected !== current.version) {
        throw new AppError("VERSION_MISMATCH", "The OAuth app changed since you read it.", {
          details: { currentVersion: current.version },
        });
      }
      if (input.label) await assertLabelFree(p.workspaceId, input.label, id);
      const row = await repo.update(
        db,
        p.workspaceId,
        id,
        expected,
        {
          ...(input.label ? { label: input.label } : {}),
          ...(input.clientId ? { clientId: input.clientId } : {}),
          ...(input.clientSecret
            ? {
                clientSecretEnvelope: deps.encryptor.encryptJson(
                  { clientSecret: input.clientSecret },
                  oauthAppSecretAad(id, p.workspaceId),
                ),
              }
            : {}),
        },
        deps.clock.now(),
      );
      if (!row) {
        throw new AppError("VERSION_MISMATCH", "The OAuth app changed since you read it.", {
          details: { currentVersion: current.version + 1 },
        });
      }
      await audit(p, "oauth_app.updated", id, requestId, { secretRotated: Boolean(input.clientSecret) });
      return toOAuthApp(row);
    },

    async remove(p: UserPrincipal, id: string, requestId: string) {
      await forChange(p, id);
      const users = (await repo.usedBy(db, p.workspaceId, id)).filter((c) => c.status !== "revoked");
      if (users.length > 0) {
        throw new AppError("CONFLICT", "Connections still use this OAuth app.", {
          hint: "Delete or reconnect them first.",
          details: { reason: "in_use", connectionIds: users.map((c) => c.id) },
        });
      }
      await db.transaction(async (tx) => {
        // Revoked tombstones keep their history but no longer point at the app.
        await repo.detachRevoked(tx, p.workspaceId, id);
        await repo.deletePendingFlows(tx, p.workspaceId, id);
        await repo.delete(tx, p.workspaceId, id);
        await auditUserAction(tx, p, deps.clock.now(), {
          action: "oauth_app.deleted",
          targetType: "oauth_app",
          targetId: id,
          requestId,
        });
      });
    },

    /** The app a new connection uses (API.md §3.3): explicit → the workspace's only one → platform. */
    async resolveAppId(workspaceId: string, provider: string, explicit?: string): Promise<string | null> {
      if (explicit) {
        const app = await repo.find(db, workspaceId, explicit);
        if (!app || app.provider !== provider) throw notFound("OAuth app");
        return app.id;
      }
      const own = await repo.forProvider(db, workspaceId, provider);
      return own.length === 1 && own[0] ? own[0].id : null;
    },

    /** Decrypted client for the connector; never leaves the API. */
    async client(workspaceId: string, id: string): Promise<WorkspaceOAuthClient | undefined> {
      const row = await repo.find(db, workspaceId, id);
      if (!row) return undefined;
      const { clientSecret } = deps.encryptor.decryptJson<{ clientSecret: string }>(
        row.clientSecretEnvelope,
        oauthAppSecretAad(row.id, row.workspaceId),
      );
      return {
        id: row.id,
        version: row.version,
        clientId: row.clientId,
        clientSecret,
        tenantId: row.tenantId,
      };
    },
  };
}
export type OAuthAppService = ReturnType<typeof createOAuthAppService>;
