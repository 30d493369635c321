import { describeConnections } from "@agenthifive/integration-sdk";
import { AgentHiFiveError, isApprovalRequired, type VaultExecuteRequest } from "@agenthifive/sdk";
import { safeFileName, saveDownload } from "./download.js";
import type { AgentTool } from "./openclaw-api.js";
import { failure, fromOutcome, fromResult, ok, refused } from "./results.js";
import type { VaultRuntime } from "./runtime.js";

const UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$";
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

const requestProperties = {
  connectionId: { type: "string", pattern: UUID, description: "From agenthifive_list_connections." },
  url: {
    type: "string",
    description:
      "Absolute https URL at the provider, e.g. https://gmail.googleapis.com/gmail/v1/users/me/messages",
  },
  query: {
    type: "object",
    additionalProperties: { anyOf: [{ type: "string" }, { type: "array", items: { type: "string" } }] },
    description: "Query parameters (merged into the URL before the policy check).",
  },
  headers: {
    type: "object",
    additionalProperties: { type: "string" },
    description: "Extra headers; credentials are added by the vault.",
  },
};

const str = (v: unknown) => (typeof v === "string" ? v : undefined);

function brokeredRequest(params: Record<string, unknown>): VaultExecuteRequest {
  const method = (str(params.method) ?? "GET").toUpperCase() as (typeof METHODS)[number];
  return {
    model: "B",
    connectionId: String(params.connectionId),
    method,
    url: String(params.url),
    ...(params.query ? { query: params.query as Record<string, string | string[]> } : {}),
    ...(params.headers ? { headers: params.headers as Record<string, string> } : {}),
    ...(params.body !== undefined ? { body: params.body } : {}),
  };
}

/** The six vault tools. Every result carries text for the model and `details` for programs. */
export function createTools(runtime: VaultRuntime): AgentTool[] {
  const { client, proxy, watcher } = runtime;
  return [
    {
      name: "agenthifive_list_connections",
      description:
        "List the accounts (connections) you can act on through the AgentHiFive vault, what each policy allows, what needs a person's approval, and the actions you could request permission for.",
      parameters: { type: "object", additionalProperties: false, properties: {} },
      async execute(_id, _params, signal) {
        try {
          const summary = await describeConnections(client, signal);
          const usable = summary.connections.filter((c) => !runtime.usable(c.connectionId));
          const requestable = (summary.capabilities?.services ?? []).flatMap((s) =>
            s.actions.map((a) => ({ actionTemplateId: a.id, service: s.id, label: a.label })),
          );
          const lines = [summary.text];
          if (requestable.length) {
            lines.push(
              "",
              "Actions you may ask for with agenthifive_request_permission (actionTemplateId — label):",
              ...requestable.slice(0, 40).map((a) => `- ${a.actionTemplateId} — ${a.label}`),
            );
          }
          return ok(lines.join("\n"), {
            ok: true,
            connections: usable,
            pendingRequests: summary.capabilities?.pendingRequests ?? [],
            requestable,
          });
        } catch (error) {
          return failure(error);
        }
      },
    },
    {
      name: "agenthifive_execute",
      description:
        "Call a provider API through the AgentHiFive vault (the vault adds the credential, checks the policy and audits). Some requests need a person's approval: you then get an approvalId to pass to agenthifive_await_approval.",
      parameters: {
        type: "object",
        additionalProperties: false,
        required: ["connectionId", "method", "url"],
        properties: {
          ...requestProperties,
          method: { type: "string", enum: [...METHODS] },
          body: { description: "JSON body for POST/PUT/PATCH." },
          approvalId: {
            type: "string",
            pattern: UUID,
            description: "Only when resending a request a person already approved: its approval id.",
          },
        },
      },
      async execute(_id, params, signal) {
        const request = brokeredRequest(params);
        const blocked = runtime.usable(request.connectionId);
        if (blocked) return refused(blocked);
        try {
          const approvalId = str(params.approvalId);
          if (approvalId) {
            const answer = await client.vault.execute({ ...request, approvalId }, { signal });
            if (isApprovalRequired(answer)) {
              return fromOutcome({
                status: "pending_approval",
                approvalId: answer.approvalRequestId,
                expiresAt: answer.expiresAt,
                reason: answer.reason,
                hint: answer.hint,
              });
            }
            return fromResult(answer, approvalId);
          }
          return fromOutcome(await proxy.execute(request, { signal }));
        } catch (error) {
          return failure(error);
        }
      },
    },
    {
      name: "agenthifive_request_permission",
      description:
        "Ask a person for a capability you lack (an actionTemplateId from agenthifive_list_connections), with a short reason they will read. They decide in the AgentHiFive dashboard.",
      parameters: {
        type: "object",
        additionalProperties: false,
        required: ["actionTemplateId", "reason"],
        properties: {
          actionTemplateId: { type: "string", minLength: 3, maxLength: 120 },
          connectionId: { type: "string", pattern: UUID, description: "Optional: the connection it is for." },
          reason: { type: "string", minLength: 1, maxLength: 500 },
        },
      },
      async execute(_id, params, signal) {
        try {
          const created = await client.permissionRequests.create(
            {
              actionTemplateId: String(params.actionTemplateId),
              reason: String(params.reason),
              ...(str(params.connectionId) ? { connectionId: str(params.connectionId) } : {}),
            },
            signal,
          );
          runtime.invalidateContext();
          return ok(
            [
              `Permission request ${created.id} is ${created.status}: a person decides in the AgentHiFive dashboard.`,
              "Tell the user what you asked for and why. Once approved, agenthifive_list_connections shows the new permission.",
            ].join("\n"),
            { ok: true, permissionRequest: created },
          );
        } catch (error) {
          return failure(error);
        }
      },
    },
    {
      name: "agenthifive_await_approval",
      description:
        "Wait for a person to decide on an approval (from agenthifive_execute or agenthifive_download). When approved, the approved request is run and its result returned.",
      parameters: {
        type: "object",
        additionalProperties: false,
        required: ["approvalId"],
        properties: {
          approvalId: { type: "string", pattern: UUID },
          waitSeconds: {
            type: "integer",
            minimum: 1,
            maximum: 600,
            description: "How long to wait (default 120).",
          },
        },
      },
      async execute(_id, params, signal) {
        const approvalId = String(params.approvalId);
        const waitMs = (typeof params.waitSeconds === "number" ? params.waitSeconds : 120) * 1000;
        const timeout = AbortSignal.timeout(waitMs);
        const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
        try {
          const decided = await watcher.watch(approvalId, combined);
          const entry = await proxy.store.get(approvalId);
          if (decided.status === "approved" && entry)
            return fromOutcome(await proxy.redeem(entry, { signal }));
          if (decided.status === "approved") {
            return ok(
              `Approval ${approvalId} is approved. Resend the identical request with approvalId "${approvalId}" (agenthifive_execute).`,
              { ok: true, approvalId, status: "approved" },
            );
          }
          if (entry) await proxy.store.delete(approvalId);
          return fromOutcome({
            status: decided.status === "pending" ? "expired" : decided.status,
            approvalId,
            hint:
              decided.status === "denied"
                ? "A person refused this request; do not retry it unchanged. Tell the user."
                : "The approval is no longer usable; send the request again to ask anew.",
          });
        } catch (error) {
          if (timeout.aborted && !signal?.aborted) {
            return ok(
              `No decision on approval ${approvalId} yet. Tell the user you are waiting, and call agenthifive_await_approval again later.`,
              { ok: false, approvalId, status: "pending" },
            );
          }
          return failure(error);
        }
      },
    },
    {
      name: "agenthifive_revoke_connection",
      description:
        "Stop using a connection for the rest of this gateway session (e.g. the user asked you to). Revoking the account itself is done by a person in the AgentHiFive dashboard.",
      parameters: {
        type: "object",
        additionalProperties: false,
        required: ["connectionId"],
        properties: {
          connectionId: { type: "string", pattern: UUID },
          reason: { type: "string", maxLength: 500 },
        },
      },
      async execute(_id, params) {
        const connectionId = String(params.connectionId);
        runtime.blocked.add(connectionId);
        runtime.invalidateContext();
        return ok(
          [
            `This gateway will no longer use connection ${connectionId}.`,
            "To revoke the account's credentials everywhere, a person deletes the connection in the AgentHiFive dashboard (Connections → Revoke); agents cannot revoke credentials themselves.",
          ].join("\n"),
          { ok: true, connectionId, scope: "gateway-session" },
        );
      },
    },
    {
      name: "agenthifive_download",
      description:
        "Download a file from a provider through the vault into the local download directory and return its path (for attachments, exports, large bodies).",
      parameters: {
        type: "object",
        additionalProperties: false,
        required: ["connectionId", "url"],
        properties: {
          ...requestProperties,
          fileName: { type: "string", maxLength: 128, description: "Optional name for the saved file." },
          approvalId: { type: "string", pattern: UUID, description: "When resending an approved download." },
        },
      },
      async execute(_id, params, signal) {
        const request = { ...brokeredRequest({ ...params, method: "GET" }) };
        const blocked = runtime.usable(request.connectionId);
        if (blocked) return refused(blocked);
        try {
          const approvalId = str(params.approvalId);
          const answer = await client.vault.download(approvalId ? { ...request, approvalId } : request, {
            signal,
          });
          if (answer.kind === "approval_required") {
            return fromOutcome({
              status: "pending_approval",
              approvalId: answer.approval.approvalRequestId,
              expiresAt: answer.approval.expiresAt,
              reason: answer.approval.reason,
              hint: "Wait with agenthifive_await_approval, then call agenthifive_download again with the same arguments plus approvalId.",
            });
          }
          const urlName = new URL(request.url ?? "https://x/").pathname.split("/").pop();
          if (answer.kind === "envelope") {
            const r = answer.result;
            // A provider error is reported, never saved as the file.
            if (r.status < 200 || r.status >= 300) return fromResult(r);
            // An API that buffers downloads answers with the envelope: save its bytes.
            const bytes =
              r.bodyBase64 !== undefined
                ? Buffer.from(r.bodyBase64, "base64")
                : Buffer.from(typeof r.body === "string" ? r.body : JSON.stringify(r.body ?? null), "utf8");
            const path = await saveDownload(
              runtime.config.downloadDir,
              safeFileName(str(params.fileName) ?? urlName),
              bytes,
            );
            return ok(`Saved ${bytes.length} bytes to ${path}.`, {
              ok: true,
              path,
              bytes: bytes.length,
              auditId: r.auditId,
            });
          }
          const name = safeFileName(str(params.fileName) ?? answer.fileName ?? urlName);
          const path = await saveDownload(runtime.config.downloadDir, name, answer.body);
          return ok(`Saved ${answer.contentType ?? "file"} to ${path}.`, {
            ok: true,
            path,
            contentType: answer.contentType ?? null,
            auditId: answer.auditId ?? null,
          });
        } catch (error) {
          if (error instanceof AgentHiFiveError || error instanceof Error) return failure(error);
          return failure(new Error(String(error)));
        }
      },
    },
  ];
}
