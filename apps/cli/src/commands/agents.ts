import type { Agent } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { type Column, table } from "../output.js";

const columns: Column<Agent>[] = [
  ["id", (a) => a.id],
  ["name", (a) => a.name],
  ["status", (a) => a.status],
  ["enrolled", (a) => a.enrolledAt],
  ["last seen", (a) => a.lastSeenAt],
];

export function registerAgents(program: Command, ctx: Context) {
  const agents = program.command("agents").description("Agents of the workspace");

  agents
    .command("list")
    .description("List agents")
    .option("--status <status>", "created | active | disabled")
    .option("--limit <n>", "page size (1–200)", "50")
    .option("--cursor <cursor>", "continue from a previous page")
    .action(async (o: { status?: Agent["status"]; limit: string; cursor?: string }) => {
      const page = await (await ctx.human()).agents.list({
        status: o.status,
        limit: Number(o.limit),
        cursor: o.cursor,
      });
      ctx.print(
        page,
        () => table(page.items, columns) + (page.nextCursor ? `\nMore: --cursor ${page.nextCursor}` : ""),
      );
    });

  agents
    .command("create")
    .description("Create an agent (then issue it a bootstrap secret)")
    .argument("<name>", "1–100 characters, unique in the workspace")
    .option("--description <text>", "what the agent does")
    .action(async (name: string, o: { description?: string }) => {
      const agent = await (await ctx.human()).agents.create({ name, description: o.description });
      ctx.print(agent, () =>
        [
          `Created agent "${agent.name}" (${agent.id}).`,
          `Next: ah5 agents bootstrap-secret ${agent.id}`,
        ].join("\n"),
      );
    });

  agents
    .command("bootstrap-secret")
    .description("Issue a one-time bootstrap secret (ah5b_…, valid 1 h) for an agent to enroll its key")
    .argument("<id>", "agent id")
    .action(async (id: string) => {
      const secret = await (await ctx.human()).agents.issueBootstrapSecret(id);
      ctx.print(secret, () =>
        [
          `Bootstrap secret (shown once, expires ${secret.expiresAt}):`,
          `  ${secret.bootstrapSecret}`,
          "Give it to the agent, e.g. AH5_BOOTSTRAP_SECRET for agenthifive-mcp.",
        ].join("\n"),
      );
    });

  agents
    .command("disable")
    .description("Disable an agent: its tokens stop working at once, pending approvals expire")
    .argument("<id>", "agent id")
    .action(async (id: string) => {
      const agent = await (await ctx.human()).agents.disable(id);
      ctx.print(agent, () => `Agent "${agent.name}" disabled.`);
    });

  agents
    .command("enable")
    .description("Enable a disabled agent")
    .argument("<id>", "agent id")
    .action(async (id: string) => {
      const agent = await (await ctx.human()).agents.enable(id);
      ctx.print(agent, () => `Agent "${agent.name}" is ${agent.status}.`);
    });
}
