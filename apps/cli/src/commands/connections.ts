import type { Connection } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { type Column, table } from "../output.js";

const columns: Column<Connection>[] = [
  ["id", (c) => c.id],
  ["label", (c) => c.label],
  ["provider", (c) => c.provider],
  ["status", (c) => c.status],
  ["auth", (c) => c.authType],
  ["account", (c) => c.accountId],
];

export function registerConnections(program: Command, ctx: Context) {
  const connections = program.command("connections").description("Accounts connected to the workspace");

  connections
    .command("list")
    .description("List connections (revoked ones only with --status revoked)")
    .option("--provider <id>", "only this provider")
    .option("--status <status>", "active | needs_reauth | error | revoked")
    .option("--limit <n>", "page size (1–200)", "50")
    .option("--cursor <cursor>", "continue from a previous page")
    .action(
      async (o: { provider?: string; status?: Connection["status"]; limit: string; cursor?: string }) => {
        const page = await (await ctx.human()).connections.list({
          provider: o.provider,
          status: o.status,
          limit: Number(o.limit),
          cursor: o.cursor,
        });
        ctx.print(
          page,
          () => table(page.items, columns) + (page.nextCursor ? `\nMore: --cursor ${page.nextCursor}` : ""),
        );
      },
    );

  connections
    .command("connect")
    .description("Connect an account (OAuth and device flows run in the dashboard)")
    .argument("<provider>", "provider id, e.g. google")
    .action(async (provider: string) => {
      const apiUrl = await ctx.apiUrl();
      ctx.print({ provider, hint: "Use the dashboard to connect accounts." }, () =>
        [
          `Connecting ${provider} needs your browser (OAuth consent or a device code).`,
          "Open the dashboard → Connections → Connect, then run `ah5 connections list`.",
          `API: ${apiUrl}`,
        ].join("\n"),
      );
    });

  connections
    .command("revoke")
    .description("Revoke a connection: the stored credential is deleted and its policies disabled")
    .argument("<id>", "connection id")
    .action(async (id: string) => {
      await (await ctx.human()).connections.revoke(id);
      ctx.print({ id, revoked: true }, () => `Connection ${id} revoked.`);
    });
}
