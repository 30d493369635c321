import type { VaultExecuteRequest } from "@agenthifive/contracts";
import { isApprovalRequired } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { EXIT, SilentExit, UsageError } from "../exit-codes.js";

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

const collectHeader = (value: string, previous: Record<string, string> = {}) => {
  const at = value.indexOf(":");
  if (at <= 0) throw new UsageError(`--header must be "name: value", got "${value}"`);
  return { ...previous, [value.slice(0, at).trim().toLowerCase()]: value.slice(at + 1).trim() };
};

interface ExecuteOptions {
  connection: string;
  url: string;
  method: string;
  body?: string;
  header?: Record<string, string>;
  approvalId?: string;
  wait?: boolean;
  waitTimeout: string;
  agentKey?: string;
  bootstrapSecret?: string;
}

/** `ah5 execute`: a quick brokered call (Model B) as an agent, with its key file. */
export function registerExecute(program: Command, ctx: Context) {
  program
    .command("execute")
    .description("Send one request through the vault as an agent (Model B) and print the envelope")
    .requiredOption("--connection <id>", "connection id bound to the agent by a policy")
    .requiredOption("--url <url>", "absolute provider URL")
    .option("-X, --method <method>", "HTTP method", "GET")
    .option("-d, --body <json>", "JSON body")
    .option("-H, --header <header>", '"name: value" (repeatable)', collectHeader)
    .option("--approval-id <id>", "redeem an approved step-up")
    .option("--wait", "when approval is required, wait for the decision and resend")
    .option("--wait-timeout <seconds>", "how long --wait waits", "900")
    .option("--agent-key <file>", "agent private key file (default: AH5_AGENT_KEY_FILE or the config dir)")
    .option("--bootstrap-secret <secret>", "ah5b_… secret to enroll the key on first use")
    .action(async (o: ExecuteOptions) => {
      const method = o.method.toUpperCase();
      if (!METHODS.includes(method)) throw new UsageError(`--method must be one of ${METHODS.join(", ")}`);
      let body: unknown;
      if (o.body !== undefined) {
        try {
          body = JSON.parse(o.body);
        } catch {
          throw new UsageError("--body must be JSON");
        }
      }
      const client = await ctx.agent(o.agentKey, o.bootstrapSecret);
      const request = {
        model: "B",
        connectionId: o.connection,
        method,
        url: o.url,
        ...(body === undefined ? {} : { body }),
        ...(o.header ? { headers: o.header } : {}),
        ...(o.approvalId ? { approvalId: o.approvalId } : {}),
      } as VaultExecuteRequest;
      if (o.wait) {
        const started = Date.now();
        const result = await client.vault.executeWithApproval(request, {
          timeoutMs: Number(o.waitTimeout) * 1000,
          onApprovalRequired: (a) => {
            ctx.io.err(`Approval required (${a.reason}). Approval id: ${a.approvalRequestId}. Waiting…`);
            ctx.io.progress(`Waiting for approval… ${Math.round((Date.now() - started) / 1000)} s`);
          },
        });
        ctx.print(result, () => JSON.stringify(result, null, 2));
        return;
      }
      const result = await client.vault.execute(request);
      if (isApprovalRequired(result)) {
        ctx.print(result, () =>
          [
            `Approval required: ${result.reason}`,
            `Approval id: ${result.approvalRequestId} (expires ${result.expiresAt})`,
            `After approval, run the same command with --approval-id ${result.approvalRequestId}, or use --wait.`,
          ].join("\n"),
        );
        throw new SilentExit(EXIT.APPROVAL_PENDING);
      }
      ctx.print(result, () => JSON.stringify(result, null, 2));
    });
}
