import type { CompiledAllowlistEntry } from "./compile.js";
import { patternAffinity } from "./patterns.js";
import type { FinalUrl } from "./url.js";

/** Hints that tell the agent what to do next (API.md §1.7): nearest allowed entries, next steps. */

export const PERMISSION_HINT =
  "if the action is needed, file a permission request (POST /v1/permission-requests) so a human can extend the policy";

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

function sharedSuffixLabels(a: string, b: string): number {
  const x = a.split(".").reverse();
  const y = b.split(".").reverse();
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}

/** The allowlisted origin closest to the request's (shared domain suffix, then edit distance). */
export function nearestOrigin(entries: readonly CompiledAllowlistEntry[], url: FinalUrl): string | null {
  let best: { origin: string; suffix: number; distance: number } | null = null;
  for (const e of entries) {
    const host = e.origin.replace(/^[a-z]+:\/\//, "").replace(/:\d+$/, "");
    const candidate = {
      origin: e.origin,
      suffix: sharedSuffixLabels(host, url.host),
      distance: levenshtein(e.origin, url.origin),
    };
    if (
      !best ||
      candidate.suffix > best.suffix ||
      (candidate.suffix === best.suffix && candidate.distance < best.distance)
    ) {
      best = candidate;
    }
  }
  return best?.origin ?? null;
}

/** The allowlisted path pattern (of entries with this origin) closest to the request's path. */
export function nearestPath(
  entries: readonly CompiledAllowlistEntry[],
  url: FinalUrl,
): { pattern: string; methods: string[] } | null {
  let best: { pattern: string; methods: string[]; affinity: number; distance: number } | null = null;
  for (const e of entries) {
    for (const p of e.paths) {
      const affinity = patternAffinity(p, url.segments);
      const distance = levenshtein(p.source, url.path);
      if (!best || affinity > best.affinity || (affinity === best.affinity && distance < best.distance)) {
        best = { pattern: p.source, methods: [...e.methods], affinity, distance };
      }
    }
  }
  return best ? { pattern: best.pattern, methods: best.methods } : null;
}

export function listOrigins(entries: readonly CompiledAllowlistEntry[], max = 5): string {
  const origins = [...new Set(entries.map((e) => e.origin))];
  const shown = origins.slice(0, max).join(", ");
  return origins.length > max ? `${shown} (and ${origins.length - max} more)` : shown;
}

export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.ceil(seconds / 60)} min`;
  return `${Math.round(seconds / 360) / 10} h`;
}
