import { AgentHiFiveError } from "@agenthifive/sdk";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Progress goes to stderr, only on a terminal (never into a pipe or a --json consumer). */
  progress(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
  progress: (t) => {
    if (process.stderr.isTTY) process.stderr.write(`\r\u001b[2K${t}`);
  },
};

export type Column<T> = [header: string, value: (row: T) => unknown];

const cell = (v: unknown) =>
  v === null || v === undefined ? "-" : Array.isArray(v) ? v.join(",") : String(v);

/** A plain aligned table; wide values are not truncated (pipe to `cut` or use --json). */
export function table<T>(rows: readonly T[], columns: Column<T>[]): string {
  if (rows.length === 0) return "(none)";
  const cells = rows.map((r) => columns.map(([, f]) => cell(f(r))));
  const widths = columns.map(([h], i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? "").length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(columns.map(([h]) => h.toUpperCase())), ...cells.map(line)].join("\n");
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

export function formatError(error: unknown, asJson: boolean): string {
  if (error instanceof AgentHiFiveError) {
    if (asJson) return json(error.toJSON());
    const lines = [`Error: ${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ""})`];
    if (error.hint) lines.push(`Hint: ${error.hint}`);
    if (error.retryAfter !== undefined) lines.push(`Retry after: ${error.retryAfter} s`);
    if (error.requestId) lines.push(`Request id: ${error.requestId}`);
    return lines.join("\n");
  }
  const message = error instanceof Error ? error.message : String(error);
  return asJson ? json({ error: message, code: "CLI_ERROR" }) : `Error: ${message}`;
}
