import type { Approval } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { type Column, table } from "../output.js";

const target = (a: Approval) => {
  const r = a.request as { method?: string; host?: string; path?: string };
  return `${r.method ?? ""} ${r.host ?? ""}${r.path ?? ""}`.trim();
};

const columns: Column<Approval>[] = [
  ["id", (a) => a.id],
  ["status", (a) => a.status],
  ["agent", (a) => a.agentName],
  ["request", target],
  ["expires", (a) => a.expiresAt],
];

export function registerApprovals(program: Command, ctx: Context) {
  const approvals = program.command("approvals").description("Requests waiting for a person's decision");

  approvals
    .command("list")
    .description("List approvals (default: pending)")
    .option("--status <status>", "pending | approved | denied | expired | consumed", "pending")
    .option("--agent <id>", "only this agent")
    .option("--limit <n>", "page size (1–200)", "50")
    .option("--cursor <cursor>", "continue from a previous page")
    .action(async (o: { status: Approval["status"]; agent?: string; limit: string; cursor?: string }) => {
      const page = await (await ctx.human()).approvals.list({
        status: o.status,
        agentId: o.agent,
        limit: Number(o.limit),
        cursor: o.cursor,
      });
      ctx.print(
        page,
        () => table(page.items, columns) + (page.nextCursor ? `\nMore: --cursor ${page.nextCursor}` : ""),
      );
    });

  for (const action of ["approve", "deny"] as const) {
    approvals
      .command(action)
      .description(action === "approve" ? "Approve a pending request (single use)" : "Deny a pending request")
      .argument("<id>", "approval id")
      .option("--note <text>", "a note kept with the decision (≤ 500 characters)")
      .action(async (id: string, o: { note?: string }) => {
        const client = await ctx.human();
        const approval =
          action === "approve"
            ? await client.approvals.approve(id, o.note)
            : await client.approvals.deny(id, o.note);
        ctx.print(approval, () => `Approval ${approval.id} ${approval.status} (${target(approval)}).`);
      });
  }
}
