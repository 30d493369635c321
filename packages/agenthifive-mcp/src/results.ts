import { AgentHiFiveError, type VaultApprovalRequired } from "@agenthifive/sdk";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

/** A successful tool result: readable text for the model plus the same data as structured content. */
export function ok(text: string, data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text }], structuredContent: data };
}

/**
 * A failed tool call. The API's `hint` is the model's next step (request a permission, wait for
 * an approval, ask a person to reconnect…), so it is always spelled out.
 */
export function failure(error: unknown): CallToolResult {
  if (error instanceof AgentHiFiveError) {
    const lines = [`Error ${error.code}${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`];
    if (error.hint) lines.push(`What to do next: ${error.hint}`);
    if (error.retryAfter !== undefined) lines.push(`Retry after: ${error.retryAfter} s`);
    if (error.requestId) lines.push(`Request id: ${error.requestId}`);
    return {
      isError: true,
      content: [{ type: "text", text: lines.join("\n") }],
      structuredContent: error.toJSON(),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { isError: true, content: [{ type: "text", text: `Error: ${message}` }] };
}

/** HTTP 202: not an error, a pause. Tells the model the approval id and exactly how to continue. */
export function approvalRequired(a: VaultApprovalRequired): CallToolResult {
  const text = [
    `Approval required: a person must approve this request before it runs (${a.reason}).`,
    `Approval id: ${a.approvalRequestId} (expires ${a.expiresAt}).`,
    `Next: call wait_for_approval with approvalId "${a.approvalRequestId}". When it reports "approved",`,
    `call the same tool again with exactly the same arguments plus approvalId "${a.approvalRequestId}".`,
    "Do not change the request: the approval is bound to it.",
  ].join("\n");
  return {
    content: [{ type: "text", text }],
    structuredContent: {
      approvalRequired: true,
      approvalId: a.approvalRequestId,
      expiresAt: a.expiresAt,
      reason: a.reason,
      hint: a.hint,
    },
  };
}
