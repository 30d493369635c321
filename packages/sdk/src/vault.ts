import type { VaultExecuteRequest } from "@agenthifive/contracts";
import type { ApprovalsResource, WaitOptions } from "./approvals.js";
import { AgentHiFiveError } from "./errors.js";
import type { Transport } from "./transport.js";
import type { VaultApprovalRequired, VaultModelAResult, VaultModelBResult } from "./types.js";

export type VaultResult = VaultModelAResult | VaultModelBResult | VaultApprovalRequired;

export interface ExecuteOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Sent as `Idempotency-Key`; generated for non-GET/HEAD Model B calls when omitted. */
  idempotencyKey?: string | undefined;
}

/** A 2xx `stream`/`download` answer: the provider's bytes, unread. */
export interface VaultRawResult {
  kind: "raw";
  status: number;
  contentType: string | undefined;
  /** File name from `Content-Disposition`, unsanitised: never use it as a path as is. */
  fileName: string | undefined;
  auditId: string | undefined;
  body: ReadableStream<Uint8Array>;
}
/** A provider error (or an API without streaming) answers with the buffered envelope instead. */
export interface VaultEnvelopeResult {
  kind: "envelope";
  result: VaultModelBResult;
}
/** HTTP 202: wait for the approval, then resend the identical request with `approvalId`. */
export interface VaultApprovalResult {
  kind: "approval_required";
  approval: VaultApprovalRequired;
}
export type VaultStreamResult = VaultRawResult | VaultEnvelopeResult | VaultApprovalResult;

export function isApprovalRequired(value: unknown): value is VaultApprovalRequired {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as { approvalRequired?: unknown }).approvalRequired === true
  );
}

const isReadOnly = (r: VaultExecuteRequest) => r.model === "A" || r.method === "GET" || r.method === "HEAD";

function fileNameFrom(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(disposition);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim());
    } catch {
      return undefined;
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(disposition);
  return (plain?.[2] ?? plain?.[1])?.trim();
}

/** POST /v1/vault/execute (API.md §3.9): agent mode only. */
export class VaultResource {
  constructor(
    private readonly http: Transport,
    private readonly approvals: ApprovalsResource,
  ) {}

  /**
   * Model A returns a short-lived provider token; Model B returns the provider's answer in an
   * envelope (provider 4xx/5xx are data: `result.status`). A step-up answers with
   * `approvalRequired: true` (HTTP 202): wait for the approval, then resend with `approvalId`.
   */
  execute(request: VaultExecuteRequest, options: ExecuteOptions = {}): Promise<VaultResult> {
    const readOnly = isReadOnly(request);
    return this.http.json<VaultResult>({
      method: "POST",
      path: "/v1/vault/execute",
      body: request,
      idempotent: readOnly,
      idempotencyKey: options.idempotencyKey ?? (readOnly ? undefined : true),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
  }

  /**
   * `execute`, and when a person must approve: wait for the decision (long-poll) and resend the
   * identical request with the approval id. Throws `APPROVAL_DENIED` / `APPROVAL_EXPIRED` /
   * `APPROVAL_WAIT_TIMEOUT` as `AgentHiFiveError`.
   */
  async executeWithApproval(
    request: VaultExecuteRequest,
    options: ExecuteOptions &
      WaitOptions & { onApprovalRequired?: (approval: VaultApprovalRequired) => void } = {},
  ): Promise<VaultModelAResult | VaultModelBResult> {
    const first = await this.execute(request, options);
    if (!isApprovalRequired(first)) return first;
    options.onApprovalRequired?.(first);
    const decided = await this.approvals.wait(first.approvalRequestId, options);
    if (decided.status !== "approved") {
      throw new AgentHiFiveError({
        code: decided.status === "denied" ? "APPROVAL_DENIED" : "APPROVAL_EXPIRED",
        status: decided.status === "denied" ? 403 : 410,
        message: `The approval was ${decided.status}.`,
        hint:
          decided.status === "denied"
            ? "A person refused this request; do not retry it unchanged."
            : "Send the request again to ask for a new approval.",
      });
    }
    const second = await this.execute(
      { ...request, approvalId: first.approvalRequestId },
      { ...options, idempotencyKey: undefined },
    );
    if (isApprovalRequired(second)) {
      throw new AgentHiFiveError({
        code: "APPROVAL_REQUIRED",
        status: 202,
        message: "The API asked for another approval after the first was granted.",
        hint: second.hint,
        requestId: second.requestId,
      });
    }
    return second;
  }

  /** Model B with `stream: true`: the provider's 2xx body as a stream (API.md §3.9.3). */
  stream(request: VaultExecuteRequest, options: ExecuteOptions = {}) {
    return this.raw({ ...request, stream: true }, options);
  }

  /** Model B with `download: true`: raw bytes of a 2xx answer, with the provider's file name. */
  download(request: VaultExecuteRequest, options: ExecuteOptions = {}) {
    return this.raw({ ...request, download: true }, options);
  }

  private async raw(request: VaultExecuteRequest, options: ExecuteOptions): Promise<VaultStreamResult> {
    const readOnly = isReadOnly(request);
    const response = await this.http.raw({
      method: "POST",
      path: "/v1/vault/execute",
      body: request,
      headers: { accept: "*/*" },
      idempotent: readOnly,
      idempotencyKey: options.idempotencyKey ?? (readOnly ? undefined : true),
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    const contentType = response.headers.get("content-type") ?? undefined;
    // An envelope is JSON from us: a 202, a provider error, or an API that buffered the answer.
    const envelope =
      response.status === 202 ||
      response.headers.get("x-vault-envelope") === "1" ||
      (!response.headers.get("x-audit-id") && contentType?.startsWith("application/json"));
    if (envelope) {
      const value = (await response.json()) as VaultModelBResult | VaultApprovalRequired;
      return isApprovalRequired(value)
        ? { kind: "approval_required", approval: value }
        : { kind: "envelope", result: value };
    }
    if (!response.body) {
      throw new AgentHiFiveError({ code: "INVALID_RESPONSE", status: response.status, message: "No body." });
    }
    return {
      kind: "raw",
      status: response.status,
      contentType,
      fileName: fileNameFrom(response.headers.get("content-disposition")),
      auditId: response.headers.get("x-audit-id") ?? undefined,
      body: response.body,
    };
  }
}
