import {
  type AgentHiFiveClient,
  AgentHiFiveError,
  type ExecuteOptions,
  isApprovalRequired,
  type VaultApprovalRequired,
} from "@agenthifive/sdk";
import type { ActionOutcome, ActionRequest, PendingAction } from "./types.js";

export interface PendingEntry {
  approvalId: string;
  request: ActionRequest;
  expiresAt: string;
  reason: string;
}

/** Where pending actions are kept between `execute` and `resume`; in memory by default. */
export interface PendingStore {
  get(approvalId: string): PendingEntry | undefined | Promise<PendingEntry | undefined>;
  set(entry: PendingEntry): void | Promise<void>;
  delete(approvalId: string): void | Promise<void>;
  list(): PendingEntry[] | Promise<PendingEntry[]>;
}

export class MemoryPendingStore implements PendingStore {
  readonly #entries = new Map<string, PendingEntry>();
  get(id: string) {
    return this.#entries.get(id);
  }
  set(entry: PendingEntry) {
    this.#entries.set(entry.approvalId, entry);
  }
  delete(id: string) {
    this.#entries.delete(id);
  }
  list() {
    return [...this.#entries.values()];
  }
}

function pendingFrom(a: VaultApprovalRequired): PendingAction {
  return {
    status: "pending_approval",
    approvalId: a.approvalRequestId,
    expiresAt: a.expiresAt,
    reason: a.reason,
    hint: `A person must approve this request first. Wait for approval ${a.approvalRequestId}, then resume it; the identical request is resent with the approval id.`,
  };
}

/**
 * Runs brokered requests through the vault and turns a step-up (HTTP 202) into a pending result
 * instead of blocking: the runtime can tell the model, keep working, and resume the action
 * when a person approved it. The request is kept (in `store`) so that the resent request is
 * byte-for-byte the one that was approved (the API binds an approval to its fingerprint).
 */
export class VaultActionProxy {
  readonly store: PendingStore;

  constructor(
    private readonly client: AgentHiFiveClient,
    options: { store?: PendingStore | undefined } = {},
  ) {
    this.store = options.store ?? new MemoryPendingStore();
  }

  /** Executes; a 202 becomes `pending_approval` (remembered for `resume`). Other denials throw. */
  async execute(request: ActionRequest, options: ExecuteOptions = {}): Promise<ActionOutcome> {
    const answer = await this.client.vault.execute(request, options);
    if (isApprovalRequired(answer)) {
      await this.store.set({
        approvalId: answer.approvalRequestId,
        request,
        expiresAt: answer.expiresAt,
        reason: answer.reason,
      });
      return pendingFrom(answer);
    }
    return { status: "completed", result: answer };
  }

  /**
   * Looks at the approval once (optionally long-polling up to `waitSeconds`, ≤ 30) and, when it
   * is approved, resends the remembered request with the approval id. Pending stays pending;
   * denied/expired/consumed end the action and forget it.
   */
  async resume(
    approvalId: string,
    options: ExecuteOptions & { waitSeconds?: number | undefined } = {},
  ): Promise<ActionOutcome> {
    const entry = await this.store.get(approvalId);
    if (!entry) {
      throw new AgentHiFiveError({
        code: "APPROVAL_NOT_FOUND",
        status: 0,
        message: `No pending action is waiting on approval ${approvalId} here.`,
        hint: "Resend the original request with approvalId set, or start the action again.",
      });
    }
    const approval = await this.client.approvals.get(approvalId, {
      waitSeconds: options.waitSeconds ?? 0,
      signal: options.signal,
    });
    if (approval.status === "pending") {
      return {
        status: "pending_approval",
        approvalId,
        expiresAt: approval.expiresAt,
        reason: entry.reason,
        hint: "Still waiting for a person to decide; check again later.",
      };
    }
    if (approval.status !== "approved") {
      await this.store.delete(approvalId);
      return {
        status: approval.status,
        approvalId,
        hint:
          approval.status === "denied"
            ? "A person refused this request; do not retry it unchanged."
            : approval.status === "expired"
              ? "The approval expired; send the request again to ask anew."
              : "The approval was already used.",
      };
    }
    return this.redeem(entry, options);
  }

  /** Resends the remembered request with its approval id (call after the approval is approved). */
  async redeem(entry: PendingEntry, options: ExecuteOptions = {}): Promise<ActionOutcome> {
    const answer = await this.client.vault.execute(
      { ...entry.request, approvalId: entry.approvalId },
      { ...options, idempotencyKey: undefined },
    );
    await this.store.delete(entry.approvalId);
    if (isApprovalRequired(answer)) {
      // A policy changed in between and asks again: the new approval takes over.
      await this.store.set({ ...entry, approvalId: answer.approvalRequestId, expiresAt: answer.expiresAt });
      return pendingFrom(answer);
    }
    return { status: "completed", result: answer, approvalId: entry.approvalId };
  }
}
