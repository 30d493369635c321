import type { Redaction } from "@agenthifive/contracts";
import type { CompiledResponseRule } from "./compile.js";
import { JsonTooDeepError } from "./json-paths.js";
import type { PiiOptions } from "./pii.js";
import { applyRules } from "./transforms.js";

/**
 * Incremental filtering of line-delimited JSON and server-sent events (API.md §3.9.3): each NDJSON
 * line / each SSE event's JSON `data` is filtered on its own, with a UTF-8-safe decoder. A line or
 * event that is not JSON blocks the stream (fail closed); SSE `data: [DONE]` and empty data pass.
 */

export type StreamKind = "ndjson" | "sse";

export interface StreamChunkResult {
  /** Filtered text to send on (may be empty while a line or event is incomplete). */
  text: string;
  redactions: Redaction[];
  /** Set once the stream cannot be filtered; send nothing more and abort the response. */
  blocked?: { code: "RESPONSE_UNFILTERABLE" };
  reason?: string;
}

export interface StreamFilter {
  push(chunk: string | Uint8Array): StreamChunkResult;
  end(): StreamChunkResult;
}

const DATA = Symbol("data");

export function createLineFilter(
  kind: StreamKind,
  rules: readonly CompiledResponseRule[],
  options: PiiOptions,
  maxBytes: number,
): StreamFilter {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let buffer = "";
  let bytes = 0;
  let index = 0;
  let blockedReason: string | null = null;
  // SSE event under construction.
  let eventLines: (string | typeof DATA)[] = [];
  let dataParts: string[] = [];

  const filterJson = (text: string, redactions: Redaction[]): string | null => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      blockedReason = `${kind === "sse" ? "an SSE event's data" : "an NDJSON line"} is not JSON`;
      return null;
    }
    try {
      return JSON.stringify(applyRules(value, rules, options, redactions, [String(index++)]));
    } catch (err) {
      if (!(err instanceof JsonTooDeepError)) throw err;
      blockedReason = "a record is nested too deeply to filter";
      return null;
    }
  };

  const flushEvent = (terminated: boolean, redactions: Redaction[]): string => {
    if (eventLines.length === 0) return terminated ? "\n" : "";
    let dataLines: string[] = [];
    if (dataParts.length > 0) {
      const data = dataParts.join("\n");
      const trimmed = data.trim();
      if (trimmed === "" || trimmed === "[DONE]") {
        dataLines = dataParts.map((d) => `data: ${d}`);
      } else {
        const filtered = filterJson(data, redactions);
        if (filtered === null) return "";
        dataLines = [`data: ${filtered}`];
      }
    }
    const lines = eventLines.flatMap((l) => (l === DATA ? dataLines : [l]));
    eventLines = [];
    dataParts = [];
    return `${lines.join("\n")}\n${terminated ? "\n" : ""}`;
  };

  const onLine = (line: string, redactions: Redaction[]): string => {
    if (kind === "ndjson") {
      if (line.trim() === "") return "\n";
      const filtered = filterJson(line, redactions);
      return filtered === null ? "" : `${filtered}\n`;
    }
    if (line === "") return flushEvent(true, redactions);
    if (line.startsWith(":")) return ""; // comments are dropped (keep-alives carry nothing)
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    if (field === "data") {
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (dataParts.length === 0) eventLines.push(DATA);
      dataParts.push(value);
    } else if (field === "event" || field === "id" || (field === "retry" && /^retry: ?\d+$/.test(line))) {
      eventLines.push(line);
    }
    // `event`, `id` and `retry` pass as sent (names, ids and a number); any other field
    // (`Data:`, `x-debug:`) is ignored by SSE clients and unfiltered by us, so a rule drops it.
    return "";
  };

  const blocked = (): StreamChunkResult => ({
    text: "",
    redactions: [],
    blocked: { code: "RESPONSE_UNFILTERABLE" },
    reason: blockedReason ?? "the stream cannot be filtered",
  });

  const drain = (final: boolean): StreamChunkResult => {
    const redactions: Redaction[] = [];
    let text = "";
    for (;;) {
      const nl = buffer.search(/[\r\n]/);
      if (nl < 0) break;
      if (buffer[nl] === "\r" && nl === buffer.length - 1 && !final) break; // maybe \r\n split
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + (buffer[nl] === "\r" && buffer[nl + 1] === "\n" ? 2 : 1));
      text += onLine(line, redactions);
      if (blockedReason) return blocked();
    }
    if (final) {
      if (buffer !== "") {
        const last = buffer;
        buffer = "";
        const tail = onLine(last, redactions);
        text += kind === "ndjson" ? tail.replace(/\n$/, "") : tail;
      }
      if (kind === "sse" && !blockedReason) text += flushEvent(false, redactions);
      if (blockedReason) return blocked();
    }
    return { text, redactions };
  };

  return {
    push(chunk) {
      if (blockedReason) return blocked();
      bytes += typeof chunk === "string" ? Buffer.byteLength(chunk, "utf8") : chunk.byteLength;
      if (bytes > maxBytes) {
        blockedReason = `the stream is larger than maxResponseBytes (${maxBytes})`;
        return blocked();
      }
      if (typeof chunk === "string") buffer += chunk;
      else {
        try {
          buffer += decoder.decode(chunk, { stream: true });
        } catch {
          blockedReason = "the stream is not valid UTF-8";
          return blocked();
        }
      }
      return drain(false);
    },
    end() {
      if (blockedReason) return blocked();
      try {
        buffer += decoder.decode();
      } catch {
        blockedReason = "the stream ends inside a UTF-8 sequence";
        return blocked();
      }
      return drain(true);
    },
  };
}
