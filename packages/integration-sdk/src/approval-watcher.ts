import { type AgentHiFiveClient, AgentHiFiveError, type Approval } from "@agenthifive/sdk";
import type { VaultActionProxy } from "./action-proxy.js";
import type { ActionOutcome } from "./types.js";

export interface ApprovalWatcherOptions {
  /** Seconds per long-poll request, 1–30 (the API holds the request until a decision). Default 30. */
  pollSeconds?: number | undefined;
  /** First backoff step after a failed poll; doubled each time, with jitter. Default 500 ms. */
  backoffBaseMs?: number | undefined;
  /** Backoff ceiling. Default 30 s. */
  backoffMaxMs?: number | undefined;
  /** Give up after this long (default 15 min, the default approval TTL). */
  timeoutMs?: number | undefined;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });

/** Failures worth retrying: no answer, timeouts, rate limits, 5xx. A 401/403/404 is final. */
function isTransient(error: unknown) {
  if (!(error instanceof AgentHiFiveError)) return true;
  return error.status === 0 ? error.code !== "ABORTED" : error.status === 429 || error.status >= 500;
}

/**
 * Watches approvals until a person decides: long-polls `GET /v1/approvals/{id}?wait=` and, when a
 * poll fails transiently (network, 429, 5xx), backs off exponentially with full jitter instead of
 * hammering the API. `track` also resumes the proxy's pending actions as they get approved.
 */
export class ApprovalWatcher {
  readonly #controller = new AbortController();
  readonly #active = new Map<string, Promise<Approval>>();

  constructor(
    private readonly client: AgentHiFiveClient,
    private readonly options: ApprovalWatcherOptions = {},
  ) {}

  /** Resolves with the approval once it is no longer `pending` (approved, denied, expired, consumed). */
  watch(approvalId: string, signal?: AbortSignal): Promise<Approval> {
    const existing = this.#active.get(approvalId);
    if (existing && !signal) return existing;
    const run = this.#poll(approvalId, signal).finally(() => {
      if (this.#active.get(approvalId) === run) this.#active.delete(approvalId);
    });
    if (!signal) this.#active.set(approvalId, run);
    return run;
  }

  /**
   * Watches every pending action of `proxy` (and those added later via `resolvePending`):
   * approved ones are redeemed at once and `onOutcome` receives the final outcome.
   */
  async resolvePending(
    proxy: VaultActionProxy,
    onOutcome: (outcome: ActionOutcome) => void,
    onError?: (approvalId: string, error: unknown) => void,
  ): Promise<void> {
    const entries = await proxy.store.list();
    await Promise.all(
      entries.map(async (entry) => {
        try {
          const decided = await this.watch(entry.approvalId);
          const outcome =
            decided.status === "approved" ? await proxy.redeem(entry) : await proxy.resume(entry.approvalId);
          onOutcome(outcome);
        } catch (error) {
          onError?.(entry.approvalId, error);
        }
      }),
    );
  }

  /** Stops every watch in progress (they reject with `ABORTED`). */
  stop() {
    this.#controller.abort();
  }

  async #poll(approvalId: string, callerSignal?: AbortSignal): Promise<Approval> {
    const signal = callerSignal
      ? AbortSignal.any([callerSignal, this.#controller.signal])
      : this.#controller.signal;
    const pollSeconds = Math.max(1, Math.min(30, this.options.pollSeconds ?? 30));
    const base = this.options.backoffBaseMs ?? 500;
    const max = this.options.backoffMaxMs ?? 30_000;
    const deadline = Date.now() + (this.options.timeoutMs ?? 15 * 60_000);
    let failures = 0;
    for (;;) {
      if (signal.aborted) {
        throw new AgentHiFiveError({ code: "ABORTED", status: 0, message: "Stopped watching the approval." });
      }
      if (Date.now() >= deadline) {
        throw new AgentHiFiveError({
          code: "APPROVAL_WAIT_TIMEOUT",
          status: 0,
          message: "No decision on the approval yet.",
          hint: `Approval ${approvalId} is still pending; watch it again later.`,
        });
      }
      try {
        const remainingS = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
        const approval = await this.client.approvals.get(approvalId, {
          waitSeconds: Math.min(pollSeconds, remainingS),
          signal,
        });
        failures = 0;
        if (approval.status !== "pending") return approval;
      } catch (error) {
        if (signal.aborted || !isTransient(error)) throw error;
        failures += 1;
        const retryAfterMs =
          error instanceof AgentHiFiveError && error.retryAfter ? error.retryAfter * 1000 : 0;
        const backoff = Math.random() * Math.min(max, base * 2 ** (failures - 1));
        await sleep(Math.max(retryAfterMs, backoff), signal);
      }
    }
  }
}
