import { type ActionOutcome, explainError } from "@agenthifive/integration-sdk";
import type { VaultModelAResult, VaultModelBResult } from "@agenthifive/sdk";
import type { ToolResult } from "./openclaw-api.js";

const MAX_TEXT = 16_000;

export function ok(text: string, details: Record<string, unknown>): ToolResult {
  return { content: [{ type: "text", text }], details };
}

/** A failure the model can act on: the code and the next step, never a stack or a secret. */
export function failure(error: unknown): ToolResult {
  const e = explainError(error);
  return ok(e.text, {
    ok: false,
    error: e.code,
    status: e.status,
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.retryAfter !== undefined ? { retryAfter: e.retryAfter } : {}),
    ...(e.requestId ? { requestId: e.requestId } : {}),
  });
}

export function refused(reason: string, code = "CONNECTION_NOT_USABLE"): ToolResult {
  return ok(`Refused: ${reason}`, { ok: false, error: code, hint: reason });
}

function bodyText(result: VaultModelBResult) {
  const body = result.body !== undefined ? result.body : result.bodyBase64 ? "(binary body, base64)" : "";
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  return text.length > MAX_TEXT
    ? `${text.slice(0, MAX_TEXT)}\n… (truncated; use agenthifive_download for large bodies)`
    : text;
}

/** The provider's answer (Model B) or a short-lived token notice (Model A, never the token text). */
export function fromResult(result: VaultModelAResult | VaultModelBResult, approvalId?: string): ToolResult {
  if (result.model === "A") {
    return ok(
      `The vault issued a short-lived token for connection ${result.connectionId} (expires in ${result.expiresIn} s).`,
      {
        ok: true,
        model: "A",
        connectionId: result.connectionId,
        expiresIn: result.expiresIn,
        scopes: result.scopes,
        auditId: result.auditId,
      },
    );
  }
  const providerError = result.status >= 400;
  const lines = [
    `Provider answered HTTP ${result.status}${approvalId ? ` (approved request, approval ${approvalId})` : ""}.`,
    providerError
      ? "This is the provider's own error, not a vault denial: read it and adjust the request."
      : undefined,
    result.redactions?.length ? "Some fields were redacted by the policy." : undefined,
    bodyText(result),
  ].filter((l): l is string => l !== undefined);
  return ok(lines.join("\n"), {
    ok: !providerError,
    model: "B",
    status: result.status,
    body: result.body ?? null,
    ...(result.bodyBase64 ? { bodyBase64: result.bodyBase64 } : {}),
    auditId: result.auditId,
    ...(approvalId ? { approvalId } : {}),
  });
}

export function fromOutcome(outcome: ActionOutcome): ToolResult {
  if (outcome.status === "completed") return fromResult(outcome.result, outcome.approvalId);
  if (outcome.status === "pending_approval") {
    const text = [
      `Approval required: a person must approve this request before it runs (${outcome.reason}).`,
      `Approval id: ${outcome.approvalId} (expires ${outcome.expiresAt}).`,
      `Next: call agenthifive_await_approval with approvalId "${outcome.approvalId}". When the person approves, it runs this exact request and returns the result.`,
      "Meanwhile tell the user what you are waiting for. Do not change or resend the request: the approval is bound to it.",
    ].join("\n");
    return ok(text, {
      ok: false,
      approvalRequired: true,
      approvalId: outcome.approvalId,
      expiresAt: outcome.expiresAt,
      reason: outcome.reason,
      hint: outcome.hint,
    });
  }
  return ok(`The approval ended: ${outcome.status}. ${outcome.hint}`, {
    ok: false,
    approvalId: outcome.approvalId,
    status: outcome.status,
    hint: outcome.hint,
  });
}
