import {
  type AgentHiFiveClient,
  AgentHiFiveError,
  isApprovalRequired,
  type VaultModelBResult,
} from "@agenthifive/sdk";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import { downloadFile } from "./download.js";
import { approvalRequired, failure, ok } from "./results.js";

const uuid = z.string().uuid();
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

export interface ToolContext {
  client: AgentHiFiveClient;
  /** Where download_file may write; nothing is written anywhere else. */
  downloadDir: string;
  /** Upper bound for one wait_for_approval call. */
  maxWaitSeconds: number;
}

/** Every tool answers; an exception becomes an error result with the API's hint. */
const safely =
  <A, E>(fn: (args: A, extra: E) => Promise<CallToolResult>) =>
  async (args: A, extra?: E) => {
    try {
      return await fn(args, extra as E);
    } catch (error) {
      return failure(error);
    }
  };

function describeEnvelope(r: VaultModelBResult) {
  const body = r.body === undefined ? (r.bodyBase64 ? `<${r.bodyBase64.length} base64 chars>` : "") : r.body;
  const text = typeof body === "string" ? body : JSON.stringify(body, null, 2);
  const note = r.status >= 400 ? " (the provider answered with an error; this is its answer, not ours)" : "";
  return `Provider status ${r.status}${note}. Audit id ${r.auditId}.\n${text}`;
}

export function registerTools(server: McpServer, ctx: ToolContext) {
  const { client } = ctx;

  server.registerTool(
    "list_connections",
    {
      title: "List connections",
      description:
        "Lists the accounts (connections) this agent may use through the vault, with the allowed execution models. Use a connectionId from here in execute_request.",
      annotations: { readOnlyHint: true },
    },
    safely(async () => {
      const page = await client.agent.connections({ limit: 200 });
      const lines = page.items.map(
        (c) =>
          `- ${c.label} (${c.provider}/${c.service}) id=${c.connectionId} status=${c.status} models=${c.allowedModels.join(",")}`,
      );
      return ok(lines.length ? lines.join("\n") : "No connections are bound to this agent yet.", {
        items: page.items,
      });
    }),
  );

  server.registerTool(
    "list_capabilities",
    {
      title: "List capabilities",
      description:
        "Lists the services and actions that exist, what this agent has been granted, and its pending permission requests. Use an action id with request_permission.",
      annotations: { readOnlyHint: true },
    },
    safely(async () => {
      const caps = await client.agent.capabilities();
      return ok(JSON.stringify(caps, null, 2), caps as unknown as Record<string, unknown>);
    }),
  );

  server.registerTool(
    "execute_request",
    {
      title: "Execute a brokered request",
      description:
        "Sends an HTTP request to a provider through the AgentHiFive vault (Model B): the vault adds the stored credential, checks the policy and may require a person's approval. Provider errors come back as data (status). If approval is required, follow the instructions in the result.",
      inputSchema: {
        connectionId: uuid.describe("A connectionId from list_connections"),
        method: z.enum(METHODS),
        url: z.string().url().describe("Absolute https URL of the provider API"),
        query: z.record(z.string(), z.union([z.string(), z.array(z.string())])).optional(),
        headers: z.record(z.string(), z.string()).optional(),
        body: z.unknown().optional().describe("JSON body"),
        approvalId: uuid.optional().describe("Only after wait_for_approval reported approved"),
      },
    },
    safely(async (args) => {
      const result = await client.vault.execute({ model: "B", ...args });
      if (isApprovalRequired(result)) return approvalRequired(result);
      if (result.model !== "B") throw new Error("unexpected Model A answer");
      return ok(describeEnvelope(result), result as unknown as Record<string, unknown>);
    }),
  );

  server.registerTool(
    "request_permission",
    {
      title: "Request a permission",
      description:
        "Asks a person to grant this agent a capability (an action id from list_capabilities). The person approves or denies it in the dashboard; check list_capabilities later.",
      inputSchema: {
        actionTemplateId: z.string().min(1).max(200),
        connectionId: uuid.optional(),
        reason: z.string().min(1).max(500).describe("Why the agent needs it, shown to the person"),
      },
    },
    safely(async (args) => {
      const request = await client.permissionRequests.create(args);
      return ok(
        `Permission request ${request.id} is ${request.status}. A person must decide; it expires ${request.expiresAt}.`,
        request as unknown as Record<string, unknown>,
      );
    }),
  );

  server.registerTool(
    "wait_for_approval",
    {
      title: "Wait for an approval",
      description:
        "Waits (long-poll) until a person approves or denies an approval request, up to timeoutSeconds. When approved, call the original tool again with identical arguments plus approvalId.",
      inputSchema: {
        approvalId: uuid,
        timeoutSeconds: z.number().int().min(1).max(600).optional(),
      },
      annotations: { readOnlyHint: true },
    },
    safely(async ({ approvalId, timeoutSeconds }, extra: { signal?: AbortSignal }) => {
      const seconds = Math.min(timeoutSeconds ?? 60, ctx.maxWaitSeconds);
      try {
        const approval = await client.approvals.wait(approvalId, {
          timeoutMs: seconds * 1000,
          signal: extra.signal,
        });
        const next =
          approval.status === "approved"
            ? `Approved. Now resend the identical request with approvalId "${approvalId}" (valid until ${approval.expiresAt}).`
            : approval.status === "denied"
              ? "Denied by a person. Do not retry the same request."
              : `The approval is ${approval.status}; send the request again to ask for a new approval.`;
        return ok(next, { approvalId, status: approval.status, expiresAt: approval.expiresAt });
      } catch (error) {
        if (error instanceof AgentHiFiveError && error.code === "APPROVAL_WAIT_TIMEOUT") {
          return ok(`Still pending after ${seconds} s. Call wait_for_approval again to keep waiting.`, {
            approvalId,
            status: "pending",
          });
        }
        throw error;
      }
    }),
  );

  server.registerTool(
    "download_file",
    {
      title: "Download a file",
      description:
        "Downloads a provider resource through the vault into the configured download directory and returns the local path. fileName must be a plain file name (no directories or '..').",
      inputSchema: {
        connectionId: uuid,
        url: z.string().url(),
        fileName: z.string().min(1).max(200).optional().describe("Plain file name; default: the provider's"),
        approvalId: uuid.optional(),
      },
    },
    safely(async (args) => downloadFile(client, ctx.downloadDir, args)),
  );
}
