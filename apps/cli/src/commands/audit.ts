import { createWriteStream } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { AuditEvent } from "@agenthifive/sdk";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { UsageError } from "../exit-codes.js";
import { type Column, json, table } from "../output.js";

const columns: Column<AuditEvent>[] = [
  ["time", (e) => e.occurredAt],
  ["action", (e) => e.action],
  ["actor", (e) => `${e.actor.kind}:${e.actor.id ?? "-"}`],
  ["decision", (e) => e.decision],
  ["code", (e) => e.code],
  ["request id", (e) => e.requestId],
];

interface Filters {
  agent?: string;
  connection?: string;
  action?: string[];
  decision?: "allow" | "deny" | "require_approval";
  from?: string;
  to?: string;
}

const filterOf = (o: Filters) => ({
  agentId: o.agent,
  connectionId: o.connection,
  action: o.action,
  decision: o.decision,
  from: o.from,
  to: o.to,
});

const collectAction = (value: string, previous: string[] = []) => [...previous, value];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registerAudit(program: Command, ctx: Context) {
  const audit = program.command("audit").description("The workspace's audit trail");

  const withFilters = (c: Command) =>
    c
      .option("--agent <id>", "only this agent")
      .option("--connection <id>", "only this connection")
      .option("--action <action>", "only this action (repeatable), e.g. vault.executed", collectAction)
      .option("--decision <decision>", "allow | deny | require_approval")
      .option("--from <iso>", "from this time (ISO 8601)")
      .option("--to <iso>", "until this time (ISO 8601)");

  withFilters(audit.command("tail"))
    .description("Show the latest events, oldest first; --follow keeps printing new ones")
    .option("-n, --limit <n>", "how many (1–200)", "20")
    .option("-f, --follow", "poll for new events until interrupted")
    .option("--interval <seconds>", "poll interval with --follow", "2")
    .action(async (o: Filters & { limit: string; follow?: boolean; interval: string }) => {
      const client = await ctx.human();
      const page = await client.audit.list({ ...filterOf(o), limit: Number(o.limit) });
      const events = [...page.items].reverse();
      const seen = new Set(events.map((e) => e.id));
      const emit = (list: AuditEvent[]) => {
        if (list.length === 0) return;
        if (ctx.asJson) for (const e of list) ctx.io.out(JSON.stringify(e));
        else ctx.io.out(table(list, columns));
      };
      if (!o.follow) {
        ctx.print(events, () => table(events, columns));
        return;
      }
      emit(events);
      for (;;) {
        await sleep(Number(o.interval) * 1000);
        const fresh = (await client.audit.list({ ...filterOf(o), limit: 200 })).items.filter(
          (e) => !seen.has(e.id),
        );
        for (const e of fresh) seen.add(e.id);
        emit(fresh.reverse());
      }
    });

  withFilters(audit.command("export"))
    .description("Stream an export of the audit trail (the export itself is audited)")
    .requiredOption("--format <format>", "csv | ndjson")
    .option("-o, --output <file>", "write to this file (default: standard output)")
    .action(async (o: Filters & { format: string; output?: string }) => {
      if (o.format !== "csv" && o.format !== "ndjson") throw new UsageError("--format must be csv or ndjson");
      const stream = await (await ctx.human()).audit.export({ ...filterOf(o), format: o.format });
      const source = Readable.fromWeb(stream as unknown as NodeReadableStream<Uint8Array>);
      if (!o.output) {
        await pipeline(source, process.stdout, { end: false });
        return;
      }
      let bytes = 0;
      source.on("data", (c: Buffer) => {
        bytes += c.length;
      });
      await pipeline(source, createWriteStream(o.output, { mode: 0o600 }));
      ctx.io.out(
        ctx.asJson
          ? json({ file: o.output, bytes, format: o.format })
          : `Wrote ${bytes} bytes to ${o.output}.`,
      );
    });
}
