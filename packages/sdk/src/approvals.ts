import { AgentHiFiveError } from "./errors.js";
import { type PageOptions, paginate } from "./pagination.js";
import type { Transport } from "./transport.js";
import type { Approval, Page } from "./types.js";

export interface WaitOptions {
  signal?: AbortSignal | undefined;
  /** Give up after this long (default 15 min, the default approval TTL). */
  timeoutMs?: number | undefined;
  /** Seconds per long-poll request, 1–30 (default 30). */
  pollSeconds?: number | undefined;
}

export interface ApprovalListFilter extends PageOptions {
  status?: Approval["status"] | undefined;
  agentId?: string | undefined;
  connectionId?: string | undefined;
}

const MAX_POLL_SECONDS = 30;

/** Approvals (API.md §3.11). Agents read their own; people list and decide. */
export class ApprovalsResource {
  constructor(private readonly http: Transport) {}

  /** One read; with `waitSeconds` the API holds the request until a decision or the wait ends. */
  get(id: string, options: { waitSeconds?: number; signal?: AbortSignal | undefined } = {}) {
    const wait = Math.max(0, Math.min(MAX_POLL_SECONDS, Math.floor(options.waitSeconds ?? 0)));
    return this.http.json<Approval>({
      method: "GET",
      path: `/v1/approvals/${encodeURIComponent(id)}`,
      query: wait ? { wait } : undefined,
      signal: options.signal,
      // The server may hold the request for `wait` seconds; allow for it plus a margin.
      timeoutMs: wait ? (wait + 15) * 1000 : undefined,
    });
  }

  /**
   * Long-polls until the approval is no longer `pending` and returns it (approved, denied,
   * expired or consumed). Cancel with `signal`; throws `APPROVAL_WAIT_TIMEOUT` after `timeoutMs`.
   */
  async wait(id: string, options: WaitOptions = {}): Promise<Approval> {
    const deadline = Date.now() + (options.timeoutMs ?? 15 * 60_000);
    const pollSeconds = Math.max(1, Math.min(MAX_POLL_SECONDS, options.pollSeconds ?? MAX_POLL_SECONDS));
    for (;;) {
      if (options.signal?.aborted) {
        throw new AgentHiFiveError({
          code: "ABORTED",
          status: 0,
          message: "Stopped waiting for the approval.",
        });
      }
      const remainingS = Math.ceil((deadline - Date.now()) / 1000);
      const approval = await this.get(id, {
        waitSeconds: Math.max(0, Math.min(pollSeconds, remainingS)),
        signal: options.signal,
      });
      if (approval.status !== "pending") return approval;
      if (Date.now() >= deadline) {
        throw new AgentHiFiveError({
          code: "APPROVAL_WAIT_TIMEOUT",
          status: 0,
          message: "No decision on the approval yet.",
          hint: `Approval ${id} is still pending; wait again later or ask the workspace owner to decide.`,
        });
      }
    }
  }

  list(filter: ApprovalListFilter = {}) {
    const { signal, ...query } = filter;
    return this.http.json<Page<Approval>>({
      method: "GET",
      path: "/v1/approvals",
      query: { ...query },
      signal,
    });
  }

  all(filter: Omit<ApprovalListFilter, "cursor"> = {}) {
    return paginate((cursor) => this.list({ ...filter, cursor }));
  }

  approve(id: string, note?: string) {
    return this.decide(id, "approve", note);
  }

  deny(id: string, note?: string) {
    return this.decide(id, "deny", note);
  }

  private decide(id: string, action: "approve" | "deny", note?: string) {
    return this.http.json<Approval>({
      method: "POST",
      path: `/v1/approvals/${encodeURIComponent(id)}/${action}`,
      body: note ? { note } : {},
    });
  }
}
