import type { Connection } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { type Column, table } from "../output.js";

const collectExtra = (value: string, previous: Record<string, string> = {}) => {
  const at = value.indexOf("=");
  if (at <= 0) throw new UsageError(`--extra must be key=value, got "${value}"`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
};

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("--secret-stdin needs the secret piped on standard input");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

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
    .description(
      "Connect an API-key or bot-token account (secret read from stdin); OAuth runs in the dashboard",
    )
    .argument("<provider>", "provider id, e.g. openai, telegram, generic-api-key")
    .option("--secret-stdin", "read the API key / bot token from standard input (never from argv)")
    .option("--label <label>", "unique label in the workspace")
    .option("--service <id>", "service of the provider, when it has several")
    .option(
      "--extra <key=value>",
      "provider-specific non-secret field (repeatable), e.g. origin=https://…",
      collectExtra,
    )
    .action(
      async (
        provider: string,
        o: { secretStdin?: boolean; label?: string; service?: string; extra?: Record<string, string> },
      ) => {
        if (!o.secretStdin) {
          ctx.print(
            { provider, hint: "Use the dashboard for OAuth, or --secret-stdin for an API key." },
            () =>
              [
                `OAuth and device-flow accounts (${provider}) are connected in the dashboard: Connections → Connect.`,
                `For an API key or bot token: printf %s "$KEY" | ah5 connections connect ${provider} --secret-stdin`,
              ].join("\n"),
          );
          return;
        }
        const secret = (await readStdin()).trim();
        if (!secret) throw new UsageError("no secret on standard input");
        const connection = await (await ctx.human()).connections.createApiKey({
          provider,
          secret,
          ...(o.label ? { label: o.label } : {}),
          ...(o.service ? { service: o.service } : {}),
          ...(o.extra ? { extra: o.extra } : {}),
        });
        ctx.print(
          connection,
          () => `Connected "${connection.label}" (${connection.id}), status ${connection.status}.`,
        );
      },
    );

  connections
    .command("revoke")
    .description("Revoke a connection: the stored credential is deleted and its policies disabled")
    .argument("<id>", "connection id")
    .action(async (id: string) => {
      await (await ctx.human()).connections.revoke(id);
      ctx.print({ id, revoked: true }, () => `Connection ${id} revoked.`);
    });
}
