import { AgentHiFiveError } from "@agenthifive/sdk";

/** What a tool tells the model after a failure: the code and, above all, the next step. */
export interface ExplainedError {
  code: string;
  status: number;
  message: string;
  hint: string | undefined;
  retryAfter?: number | undefined;
  requestId?: string | undefined;
  text: string;
}

/** Next steps the API does not always spell out, by code (API.md §1.8). */
const DEFAULT_HINTS: Record<string, string> = {
  NO_POLICY: "This agent has no policy for that connection: ask for it with agenthifive_request_permission.",
  POLICY_DENIED: "The policy does not allow this request. Ask for a permission, or do something else.",
  APPROVAL_REQUIRED: "Wait for the approval, then resend the identical request with its approvalId.",
  APPROVAL_DENIED: "A person refused this request; do not retry it unchanged.",
  APPROVAL_EXPIRED: "The approval expired; send the request again to ask anew.",
  CONNECTION_NEEDS_REAUTH: "A person must reconnect this account in the AgentHiFive dashboard.",
  CONNECTION_REVOKED: "This connection was revoked; ask for a permission on another connection.",
  NETWORK_ERROR: "The vault could not be reached; try again shortly.",
  AGENT_NOT_BOOTSTRAPPED:
    "The agent is not enrolled: run `npx @agenthifive/openclaw-setup` with a bootstrap secret.",
};

export function explainError(error: unknown): ExplainedError {
  if (error instanceof AgentHiFiveError) {
    const hint = error.hint ?? DEFAULT_HINTS[error.code];
    const lines = [`Error ${error.code}${error.status ? ` (HTTP ${error.status})` : ""}: ${error.message}`];
    if (hint) lines.push(`What to do next: ${hint}`);
    if (error.retryAfter !== undefined) lines.push(`Retry after: ${error.retryAfter} s`);
    if (error.requestId) lines.push(`Request id: ${error.requestId}`);
    return {
      code: error.code,
      status: error.status,
      message: error.message,
      hint,
      retryAfter: error.retryAfter,
      requestId: error.requestId,
      text: lines.join("\n"),
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "INTERNAL", status: 0, message, hint: undefined, text: `Error: ${message}` };
}
