import { type Readable, Transform } from "node:stream";
import type { StreamFilter } from "../../policies/engine/index.js";
import type { createCredentialScrubber } from "./credential-echo.js";

export type StreamEnd =
  | { kind: "complete"; bytes: number; redactions: number }
  | { kind: "too_large"; bytes: number }
  | { kind: "unfilterable"; bytes: number; reason?: string }
  | { kind: "aborted"; bytes: number };

/**
 * Passes a provider body through to the agent as it arrives (API.md §3.9.3): each chunk goes
 * through the policy's stream filter when a response rule applies (SSE events / NDJSON lines),
 * and the stream is cut, never silently truncated, once it passes `maxBytes` or cannot be
 * filtered. `onEnd` reports how it ended, for the audit trail.
 */
export function streamBody(
  source: Readable,
  filter: StreamFilter | null,
  maxBytes: number,
  onEnd: (end: StreamEnd) => void,
  scrubber?: ReturnType<typeof createCredentialScrubber>,
): Readable {
  let bytes = 0;
  let redactions = 0;
  let ended = false;
  const finish = (end: StreamEnd) => {
    if (ended) return;
    ended = true;
    onEnd(end);
  };
  const out = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        finish({ kind: "too_large", bytes });
        source.destroy();
        return done(new Error("response larger than the policy allows"));
      }
      // Echoes of the credential go first: nothing downstream may see them.
      const clean = scrubber ? scrubber.push(chunk) : chunk;
      if (!filter) return done(null, clean.length ? clean : undefined);
      const r = filter.push(clean);
      redactions += r.redactions.length;
      if (r.blocked) {
        finish({ kind: "unfilterable", bytes, reason: r.reason });
        source.destroy();
        return done(new Error("response could not be filtered"));
      }
      done(null, r.text === "" ? undefined : r.text);
    },
    flush(done) {
      const rest = scrubber?.end();
      if (!filter) {
        finish({ kind: "complete", bytes, redactions });
        return done(null, rest?.length ? rest : undefined);
      }
      const steps = rest?.length ? [filter.push(rest)] : [];
      if (!steps[0]?.blocked) steps.push(filter.end());
      let text = "";
      for (const step of steps) {
        redactions += step.redactions.length;
        if (step.blocked) {
          finish({ kind: "unfilterable", bytes, reason: step.reason });
          return done(new Error("response could not be filtered"));
        }
        text += step.text;
      }
      finish({ kind: "complete", bytes, redactions });
      done(null, text === "" ? undefined : text);
    },
  });
  source.on("error", () => {
    finish({ kind: "aborted", bytes });
    out.destroy();
  });
  out.on("close", () => {
    // The agent went away before the end: stop reading from the provider too.
    if (!ended) {
      finish({ kind: "aborted", bytes });
      source.destroy();
    }
  });
  return source.pipe(out);
}

/** A safe `Content-Disposition` for a download: the provider's when present, else a name from the URL. */
export function downloadDisposition(providerValue: string | undefined, url: string): string {
  if (providerValue && /^attachment|^inline/i.test(providerValue) && !/[\r\n]/.test(providerValue)) {
    return providerValue;
  }
  const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? "download";
  const safe =
    last
      .replace(/[^A-Za-z0-9._-]/g, "_")
      .replace(/^\.+/, "")
      .slice(0, 120) || "download";
  return `attachment; filename="${safe}"`;
}
