import { createHash } from "node:crypto";
import type { Principal } from "@agenthifive/contracts";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import { and, eq, lt, sql } from "drizzle-orm";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import type { Database } from "../db/client.js";
import { idempotencyKeys } from "../db/schema/index.js";
import type { Clock } from "../lib/clock.js";
import { AppError } from "../lib/errors.js";
import { newId } from "../lib/ids.js";
import { canonicalJson } from "../modules/policies/engine/index.js";

/**
 * Which creations honour `Idempotency-Key` (API.md §1.5). "secret": the answer shows a secret
 * once, so it is never stored and a replay is refused instead of repeated.
 */
const ROUTES: Record<string, "store" | "secret"> = {
  "POST /v1/workspaces": "store",
  "POST /v1/invitations": "store",
  "POST /v1/agents": "store",
  "POST /v1/agents/:id/bootstrap-secrets": "secret",
  "POST /v1/tokens": "secret",
  "POST /v1/policies": "store",
  "POST /v1/oauth-apps": "store",
  "POST /v1/notification-channels": "secret",
  "POST /v1/connections/api-key": "store",
  "POST /v1/permission-requests": "store",
  "POST /v1/vault/execute": "store",
};
const KEY = /^[\x21-\x7e]{1,128}$/;
const TTL_MS = 24 * 3600_000;
const LEASE_MS = 60_000;
/** Vault answers up to this size are kept for replay; bigger ones make a replay a 409. */
const MAX_STORED_BYTES = 256 * 1024;

const aad = (id: string, workspaceId: string) => `t_idempotency_keys:${id}:${workspaceId}`;
const principalKey = (p: Principal) =>
  p.kind === "agent"
    ? `agent:${p.agentId}`
    : p.credential === "pat"
      ? `pat:${p.credentialId}`
      : `user:${p.userId}`;

interface Claim {
  id: string;
  workspaceId: string;
  mode: "store" | "secret";
}
declare module "fastify" {
  interface FastifyRequest {
    idempotencyClaim?: Claim;
  }
}

async function idempotencyPlugin(
  app: FastifyInstance,
  opts: { database: Database; encryptor: EnvelopeEncryptor; clock: Clock },
) {
  const { db } = opts.database;

  async function claim(request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
    const mode = ROUTES[`${request.method} ${request.routeOptions.url}`];
    const key = request.headers["idempotency-key"];
    if (!mode || key === undefined || !request.principal) return;
    const body = request.body as { method?: string } | undefined;
    // Reads through the vault are safe to repeat: only writes are deduplicated.
    if (request.routeOptions.url === "/v1/vault/execute" && ["GET", "HEAD", undefined].includes(body?.method))
      return;
    if (typeof key !== "string" || !KEY.test(key)) {
      throw new AppError("VALIDATION_FAILED", "Idempotency-Key must be 1–128 printable ASCII characters.", {
        details: { issues: [{ path: "Idempotency-Key", message: "invalid", code: "invalid_format" }] },
      });
    }
    const p = request.principal;
    const requestHash = createHash("sha256")
      .update(`${request.method} ${request.url.split("?")[0]}\n${canonicalJson(request.body ?? null)}`)
      .digest();
    const now = opts.clock.now();
    const id = newId();
    const inserted = await db
      .insert(idempotencyKeys)
      .values({
        id,
        workspaceId: p.workspaceId,
        principal: principalKey(p),
        idemKey: key,
        requestHash,
        lockedUntil: new Date(now.getTime() + LEASE_MS),
        expiresAt: new Date(now.getTime() + TTL_MS),
      })
      .onConflictDoNothing()
      .returning({ id: idempotencyKeys.id });
    if (inserted.length > 0) {
      request.idempotencyClaim = { id, workspaceId: p.workspaceId, mode };
      return;
    }
    const [row] = await db
      .select()
      .from(idempotencyKeys)
      .where(
        and(
          eq(idempotencyKeys.workspaceId, p.workspaceId),
          eq(idempotencyKeys.principal, principalKey(p)),
          eq(idempotencyKeys.idemKey, key),
        ),
      );
    if (!row) throw new AppError("CONFLICT", "Try again.", { headers: { "retry-after": "1" } });
    if (!row.requestHash.equals(requestHash)) {
      throw new AppError("IDEMPOTENCY_KEY_REUSED", "This Idempotency-Key was used for a different request.", {
        hint: "Use a new key for a new request.",
      });
    }
    if (row.state === "in_flight") {
      // An abandoned claim (its replica died) may be taken over once its lease ran out.
      const retaken = await db
        .update(idempotencyKeys)
        .set({ lockedUntil: new Date(now.getTime() + LEASE_MS), updatedAt: now })
        .where(
          and(
            eq(idempotencyKeys.id, row.id),
            eq(idempotencyKeys.state, "in_flight"),
            lt(idempotencyKeys.lockedUntil, now),
          ),
        )
        .returning({ id: idempotencyKeys.id });
      if (retaken.length > 0) {
        request.idempotencyClaim = { id: row.id, workspaceId: p.workspaceId, mode };
        return;
      }
      throw new AppError("CONFLICT", "The first request with this Idempotency-Key is still running.", {
        hint: "Retry in a second to get its result.",
        headers: { "retry-after": "1" },
        details: { reason: "in_flight" },
      });
    }
    if (mode === "secret" || !row.responseEnvelope || row.responseStatus === null) {
      throw new AppError("CONFLICT", "This request already ran and its answer cannot be shown again.", {
        hint:
          mode === "secret"
            ? "The secret was already issued; create a new one."
            : "The answer was too large to keep; send a new request with a new key.",
        details: { reason: "already_done" },
      });
    }
    const stored = opts.encryptor.decryptJson<{ body: string; contentType?: string }>(
      row.responseEnvelope,
      aad(row.id, row.workspaceId),
    );
    reply
      .status(row.responseStatus)
      .header("idempotent-replayed", "true")
      .header("content-type", stored.contentType ?? "application/json; charset=utf-8");
    return reply.send(stored.body);
  }

  // Callback-style hooks: most requests carry no key, and an async hook costs them a promise
  // and a microtask turn each on the hot path.
  app.addHook("preHandler", (request, reply, done) => {
    if (request.headers["idempotency-key"] === undefined) return done();
    claim(request, reply).then(() => done(), done);
  });

  app.addHook("onSend", (request, reply, payload, done) => {
    const c = request.idempotencyClaim;
    if (!c) return done(null, payload);
    request.idempotencyClaim = undefined;
    complete(c, reply, payload).then(() => done(null, payload), done);
  });

  /** Records the answer of a claimed request (or frees the key after our own failure). */
  async function complete(c: Claim, reply: FastifyReply, payload: unknown): Promise<void> {
    const status = reply.statusCode;
    if (status >= 500 || status === 429) {
      // Our own failure, or a request refused for its rate: nothing was done, so the same key may
      // be tried again (a client retrying after Retry-After must not get the 429 replayed).
      await db.delete(idempotencyKeys).where(eq(idempotencyKeys.id, c.id));
      return;
    }
    const text =
      typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString("utf8") : null;
    const keep = c.mode === "store" && text !== null && Buffer.byteLength(text) <= MAX_STORED_BYTES;
    const contentType = String(reply.getHeader("content-type") ?? "");
    await db
      .update(idempotencyKeys)
      .set({
        state: "completed",
        responseStatus: status,
        responseEnvelope: keep
          ? (opts.encryptor.encryptJson(
              { body: text, contentType },
              aad(c.id, c.workspaceId),
            ) as unknown as Record<string, unknown>)
          : null,
        updatedAt: sql`now()`,
      })
      .where(eq(idempotencyKeys.id, c.id));
  }
}

export const idempotency = fp(idempotencyPlugin, { name: "ah5-idempotency", dependencies: ["ah5-auth"] });
