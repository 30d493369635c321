import type { Policy, PolicyTier } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { type Column, table } from "../output.js";

const columns: Column<Policy>[] = [
  ["id", (p) => p.id],
  ["agent", (p) => p.agentId],
  ["connection", (p) => p.connectionId],
  ["version", (p) => p.version],
  ["enabled", (p) => p.enabled],
  ["template", (p) => p.templateId],
];

const TIERS = ["strict", "standard", "permissive"];

export function registerPolicies(program: Command, ctx: Context) {
  const policies = program.command("policies").description("What each agent may do with each connection");

  policies
    .command("list")
    .description("List policies")
    .option("--agent <id>", "only this agent")
    .option("--connection <id>", "only this connection")
    .option("--limit <n>", "page size (1–200)", "50")
    .option("--cursor <cursor>", "continue from a previous page")
    .action(async (o: { agent?: string; connection?: string; limit: string; cursor?: string }) => {
      const page = await (await ctx.human()).policies.list({
        agentId: o.agent,
        connectionId: o.connection,
        limit: Number(o.limit),
        cursor: o.cursor,
      });
      ctx.print(
        page,
        () => table(page.items, columns) + (page.nextCursor ? `\nMore: --cursor ${page.nextCursor}` : ""),
      );
    });

  policies
    .command("templates")
    .description("List the policy presets (templates) that `apply` accepts")
    .option("--provider <id>", "only this provider")
    .action(async (o: { provider?: string }) => {
      const { items } = await (await ctx.human()).policies.templates({ provider: o.provider });
      ctx.print({ items }, () =>
        table(items, [
          ["id", (t) => t.id],
          ["provider", (t) => t.provider],
          ["label", (t) => t.label],
          ["tiers", (t) => t.tiers],
        ]),
      );
    });

  policies
    .command("apply")
    .description("Create the agent's policy on a connection from a preset (template)")
    .argument("<preset>", "template id (see `ah5 policies templates`)")
    .requiredOption("--agent <id>", "agent id")
    .requiredOption("--connection <id>", "connection id")
    .option("--tier <tier>", "strict | standard | permissive", "standard")
    .action(async (preset: string, o: { agent: string; connection: string; tier: string }) => {
      if (!TIERS.includes(o.tier)) throw new UsageError(`--tier must be one of ${TIERS.join(", ")}`);
      const policy = await (await ctx.human()).policies.apply({
        agentId: o.agent,
        connectionId: o.connection,
        templateId: preset,
        tier: o.tier as PolicyTier,
      });
      ctx.print(
        policy,
        () => `Policy ${policy.id} (v${policy.version}) applied from "${preset}" (${o.tier}).`,
      );
    });

  policies
    .command("simulate")
    .description("Dry-run a request against a saved policy: no provider call, no audit")
    .requiredOption("--policy <id>", "policy id")
    .requiredOption("--url <url>", "absolute provider URL")
    .option("--method <method>", "HTTP method", "GET")
    .option("--model <model>", "A or B", "B")
    .action(async (o: { policy: string; url: string; method: string; model: string }) => {
      if (o.model !== "A" && o.model !== "B") throw new UsageError("--model must be A or B");
      const result = await (await ctx.human()).policies.simulate({
        policyId: o.policy,
        request: { model: o.model, method: o.method.toUpperCase(), url: o.url },
      });
      ctx.print(result, () =>
        [
          `Decision: ${result.decision}${result.code ? ` (${result.code})` : ""}`,
          `Reason: ${result.reason}`,
          ...(result.ruleId ? [`Rule: ${result.ruleId}`] : []),
          ...(result.hint ? [`Hint: ${result.hint}`] : []),
        ].join("\n"),
      );
    });
}
