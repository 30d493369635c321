import type { Approval, Principal } from "@agenthifive/contracts";
import type { Database, DbOrTx } from "../../db/client.js";
import type { InvalidationBus } from "../../db/invalidation.js";
import type { Clock } from "../../lib/clock.js";
import { type CursorCodec, toPage } from "../../lib/cursor.js";
import { AppError, conflict, notFound } from "../../lib/errors.js";
import { newId } from "../../lib/ids.js";
import { assertActsForAgent } from "../agents/index.js";
import { insertAuditEvent } from "../audit/index.js";
import type { EventHub } from "../events/index.js";

import type { UserPrincipal } from "../workspaces/index.js";
import { type ApprovalRow, createApprovalRepo } from "./approvals.repo.js";

/** After approval the agent has this long to redeem (API.md §3.11). */
export const REDEEM_WINDOW_MS = 600_000;
const MAX_WAIT_S = 30;

type Joined = { approval: ApprovalRow; agentName: string };
/** Channels a person can decide from besides the dashboard (API.md §3.16). */
export type ChannelDecision = "slack" | "telegram" | "email" | "webhook";

/** Expiry is computed on read (reads never write); a job persists it. */
function effectiveStatus(row: ApprovalRow, now: Date): ApprovalRow["status"] {
  return (row.status === "pending" || row.status === "approved") && row.expiresAt <= now
    ? "expired"
    : row.status;
}

function toApproval({ approval: r, agentName }: Joined, now: Date): Approval {
  return {
    id: r.id,
    agentId: r.agentId,
    agentName,
    connectionId: r.connectionId,
    policyId: r.policyId,
    policyVersion: r.policyVersion,
    model: r.model,
    status: effectiveStatus(r, now),
    reason: r.reason,
    ruleId: r.ruleId,
    request: r.requestSummary,
    createdAt: r.createdAt.toISOString(),
    expiresAt: r.expiresAt.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
    decidedBy: r.decidedBy,
    decisionChannel: r.decisionChannel,
    consumedAt: r.consumedAt?.toISOString() ?? null,
  };
}

export interface NewApproval {
  workspaceId: string;
  agentId: string;
  connectionId: string;
  policyId: string;
  policyVersion: number;
  ruleId: string | null;
  model: "A" | "B";
  fingerprint: Buffer;
  requestSummary: Record<string, unknown>;
  reason: string;
  ttlSeconds: number;
}

/** Step-up approvals (API.md §3.11): created by the vault, decided by people, redeemed once. */
export function createApprovalService(deps: {
  database: Database;
  clock: Clock;
  cursors: CursorCodec;
  invalidation: InvalidationBus;
  events?: Pick<EventHub, "emit">;
}) {
  const repo = createApprovalRepo();
  const { db } = deps.database;
  const waiters = new Map<string, Set<() => void>>();
  const wake = (id: string) => {
    for (const w of waiters.get(id) ?? []) w();
    waiters.delete(id);
  };
  deps.invalidation.subscribe((m) => {
    if (m !== "all" && m.k === "approval") wake(m.id);
  });

  async function read(workspaceId: string, id: string, principal: Principal, tx: DbOrTx = db) {
    const row = await repo.find(tx, workspaceId, id);
    // An agent sees only its own approvals; anything else is indistinguishable from missing.
    if (!row || (principal.kind === "agent" && row.approval.agentId !== principal.agentId))
      throw notFound("Approval");
    return row;
  }

  /** One decision wins: the conditional UPDATE on status = 'pending' (DATA-MODEL.md §2.6). */
  async function decideAs(
    d: {
      workspaceId: string;
      userId: string | null;
      channelId?: string;
      channel: "dashboard" | ChannelDecision;
    },
    id: string,
    status: "approved" | "denied",
    note: string | undefined,
    requestId: string,
    before?: (tx: DbOrTx) => Promise<void>,
  ) {
    const result = await db.transaction(async (tx) => {
      await before?.(tx);
      const now = deps.clock.now();
      const existing = await repo.find(tx, d.workspaceId, id);
      if (!existing) throw notFound("Approval");
      const row = await repo.decide(
        tx,
        d.workspaceId,
        id,
        { status, decidedBy: d.userId, channel: d.channel, comment: note },
        now,
        REDEEM_WINDOW_MS,
      );
      if (!row) {
        const current = effectiveStatus(existing.approval, now);
        if (current === "expired") {
          throw new AppError("APPROVAL_EXPIRED", "The approval request has expired.", {
            hint: "The agent can resend the request to ask again.",
          });
        }
        throw conflict("The approval request was already decided.", "already_decided");
      }
      await insertAuditEvent(tx, {
        workspaceId: d.workspaceId,
        occurredAt: now,
        // A decision from a channel link has no signed-in user: the channel is the actor.
        actorType: d.userId ? "user" : "system",
        actorId: d.userId ?? d.channelId ?? null,
        action: "approval.decided",
        targetType: "approval",
        targetId: id,
        agentId: row.agentId,
        connectionId: row.connectionId,
        policyId: row.policyId,
        policyVersion: row.policyVersion,
        decision: status === "approved" ? "allow" : "deny",
        outcome: "success",
        requestId,
        details: { channel: d.channel, ...(d.channelId ? { channelId: d.channelId } : {}) },
      });
      await deps.invalidation.publish(tx, { k: "approval", id, w: d.workspaceId });
      await deps.events?.emit(tx, { workspaceId: d.workspaceId, type: "approval.decided", resourceId: id });
      return { approval: row, agentName: existing.agentName };
    });
    wake(id);
    return toApproval(result, deps.clock.now());
  }

  return {
    async create(a: NewApproval) {
      const id = newId();
      const now = deps.clock.now();
      const expiresAt = new Date(now.getTime() + a.ttlSeconds * 1000);
      await db.transaction(async (tx) => {
        await repo.insert(tx, {
          id,
          workspaceId: a.workspaceId,
          agentId: a.agentId,
          connectionId: a.connectionId,
          policyId: a.policyId,
          policyVersion: a.policyVersion,
          ruleId: a.ruleId,
          model: a.model,
          fingerprint: a.fingerprint,
          requestSummary: a.requestSummary,
          reason: a.reason,
          expiresAt,
          createdAt: now,
          updatedAt: now,
        });
        await deps.events?.emit(tx, { workspaceId: a.workspaceId, type: "approval.created", resourceId: id });
      });
      return { id, expiresAt };
    },

    async list(
      p: UserPrincipal,
      f: { status?: ApprovalRow["status"]; agentId?: string; connectionId?: string },
      limit: number,
      cursor?: string,
    ) {
      const filters = { w: p.workspaceId, ...f };
      const after = deps.cursors.decode("approvals", filters, cursor);
      const rows = await repo.list(db, p.workspaceId, limit, f, after);
      const now = deps.clock.now();
      return toPage(
        rows,
        limit,
        (r) => r.approval.id,
        (r) => toApproval(r, now),
        (k) => deps.cursors.encode("approvals", filters, k),
      );
    },

    /** Long-poll: returns as soon as the status leaves `pending`, or after `waitSeconds`. */
    async get(principal: Principal, id: string, waitSeconds = 0) {
      let row = await read(principal.workspaceId, id, principal);
      const deadline = Date.now() + Math.min(waitSeconds, MAX_WAIT_S) * 1000;
      while (effectiveStatus(row.approval, deps.clock.now()) === "pending" && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(deadline - Date.now(), 5000));
          const set = waiters.get(id) ?? new Set();
          set.add(() => {
            clearTimeout(timer);
            resolve();
          });
          waiters.set(id, set);
        });
        row = await read(principal.workspaceId, id, principal);
      }
      return toApproval(row, deps.clock.now());
    },

    async decide(
      p: UserPrincipal,
      id: string,
      status: "approved" | "denied",
      note: string | undefined,
      requestId: string,
    ) {
      return decideAs(
        { workspaceId: p.workspaceId, userId: p.userId, channel: "dashboard" },
        id,
        status,
        note,
        requestId,
        async (tx) => {
          const existing = await repo.find(tx, p.workspaceId, id);
          if (existing)
            await assertActsForAgent(
              tx,
              p,
              existing.approval.agentId,
              "decide the approvals",
              "approvals:decide",
            );
        },
      );
    },

    /**
     * The same decision path for a person answering from a notification channel (API.md §3.16):
     * `before` runs first in the decision's transaction (the action link is consumed there), so the
     * link and the decision commit together or not at all.
     */
    async decideFromChannel(
      d: { workspaceId: string; channelId: string; channel: ChannelDecision },
      id: string,
      status: "approved" | "denied",
      note: string | undefined,
      requestId: string,
      before: (tx: DbOrTx) => Promise<void>,
    ) {
      return decideAs({ ...d, userId: null }, id, status, note, requestId, before);
    },

    /**
     * Redemption inside the vault (API.md §3.11), after policy re-evaluation: every failure has
     * its own code, and the consume is one conditional UPDATE before the provider call.
     */
    async redeem(
      agent: { workspaceId: string; agentId: string },
      id: string,
      bound: { connectionId: string; model: "A" | "B"; fingerprint: Buffer },
    ) {
      const { connectionId, model, fingerprint } = bound;
      const now = deps.clock.now();
      const row = await repo.find(db, agent.workspaceId, id);
      const a = row?.approval;
      if (!a || a.agentId !== agent.agentId) {
        throw new AppError("APPROVAL_NOT_FOUND", "No such approval for this agent.", {
          hint: "Send the request without approvalId to ask for a new approval.",
        });
      }
      const status = effectiveStatus(a, now);
      if (status === "pending") {
        throw new AppError("APPROVAL_PENDING", "The approval is still pending.", {
          hint: `Wait with GET /v1/approvals/${id}?wait=30, then resend.`,
        });
      }
      if (status === "denied")
        throw new AppError("APPROVAL_DENIED", "A person denied this request.", {
          hint: "Do not retry this request.",
        });
      if (status === "consumed")
        throw new AppError("APPROVAL_ALREADY_USED", "This approval was already used.", {
          hint: "Ask for a new approval.",
        });
      if (status === "expired")
        throw new AppError("APPROVAL_EXPIRED", "The approval has expired.", {
          hint: "Resend without approvalId to ask again.",
        });
      const fields: string[] = [];
      if (a.connectionId !== connectionId) fields.push("connection");
      if (a.model !== model) fields.push("model");
      if (!a.fingerprint.equals(fingerprint)) fields.push("request");
      if (fields.length) {
        throw new AppError("APPROVAL_MISMATCH", "The request differs from the one that was approved.", {
          details: { fields },
          hint: "Resend exactly the approved request (connection, model, method, URL, query and body), or ask for a new approval.",
        });
      }
      const consumed = await repo.consume(db, agent.workspaceId, id, agent.agentId, fingerprint, now);
      if (!consumed)
        throw new AppError("APPROVAL_ALREADY_USED", "This approval was already used.", {
          hint: "Ask for a new approval.",
        });
      return { id, policyVersion: a.policyVersion };
    },

    async expireDue() {
      const expired = await repo.expireDue(db, deps.clock.now());
      for (const e of expired) wake(e.id);
      return expired.length;
    },
  };
}
export type ApprovalService = ReturnType<typeof createApprovalService>;
