import { pathPatternProblem } from "@agenthifive/contracts";
import { normaliseComponent } from "./percent-encoding.js";

/**
 * Path patterns of POLICY.md §2 (`*` = exactly one non-empty segment, `**` = zero or more
 * segments, anything else literal and case-sensitive) and value globs (`*` = any characters).
 */

export interface CompiledPathPattern {
  source: string;
  /** Normalised literal segments, `*` or `**`. */
  segments: readonly string[];
  /** True when the pattern has no wildcard (fast path: string comparison). */
  literal: boolean;
  /** The normalised pattern as a path (for the literal fast path). */
  path: string;
}

/** Compiles a path pattern; throws on a pattern the schema would refuse. */
export function compilePathPattern(source: string): CompiledPathPattern {
  const problem = pathPatternProblem(source);
  if (problem) throw new Error(problem);
  const raw = source === "/" ? [] : source.slice(1).split("/");
  const segments = raw.map((seg) => {
    if (seg === "*" || seg === "**") return seg;
    const n = normaliseComponent(seg, "path");
    if (!n.ok) throw new Error(`path pattern "${source}": ${n.reason}`);
    return n.value;
  });
  const literal = !segments.some((s) => s === "*" || s === "**");
  return { source, segments, literal, path: `/${segments.join("/")}` };
}

/** True when the (normalised) path segments match the pattern. */
export function matchPathPattern(pattern: CompiledPathPattern, segments: readonly string[]): boolean {
  const pat = pattern.segments;
  if (pattern.literal) {
    if (pat.length !== segments.length) return false;
    for (let i = 0; i < pat.length; i++) if (pat[i] !== segments[i]) return false;
    return true;
  }
  // Wildcard matching with backtracking to the most recent `**` (linear in practice).
  let p = 0;
  let s = 0;
  let starP = -1;
  let starS = 0;
  while (s < segments.length) {
    const seg = pat[p];
    if (seg === "**") {
      starP = p;
      starS = s;
      p++;
      continue;
    }
    if (seg !== undefined && (seg === "*" ? segments[s] !== "" : seg === segments[s])) {
      p++;
      s++;
      continue;
    }
    if (starP < 0) return false;
    p = starP + 1;
    starS++;
    s = starS;
  }
  while (pat[p] === "**") p++;
  return p === pat.length;
}

/** How many leading segments of `segments` the pattern accepts (a "nearness" score for hints). */
export function patternAffinity(pattern: CompiledPathPattern, segments: readonly string[]): number {
  let n = 0;
  for (let i = 0; i < pattern.segments.length && i < segments.length; i++) {
    const p = pattern.segments[i];
    if (p === "**") return n + (segments.length - i);
    if (p === "*" || p === segments[i]) n++;
    else break;
  }
  return n;
}

export type ValueMatcher = (value: string) => boolean;

/**
 * A value glob: `*` matches any run of characters (including none); the rest is literal. Matched
 * without regular expressions (prefix, suffix, then leftmost placement of the middle parts), so
 * the time is linear in the value whatever the glob.
 */
export function compileValueGlob(glob: string): ValueMatcher {
  if (!glob.includes("*")) return (v) => v === glob;
  const parts = glob.split("*");
  const first = parts[0] ?? "";
  const last = parts[parts.length - 1] ?? "";
  const middle = parts.slice(1, -1).filter((p) => p !== "");
  const minLength = first.length + last.length + middle.reduce((n, p) => n + p.length, 0);
  return (v) => {
    if (v.length < minLength || !v.startsWith(first) || !v.endsWith(last)) return false;
    const end = v.length - last.length;
    let pos = first.length;
    for (const part of middle) {
      const at = v.indexOf(part, pos);
      if (at < 0 || at + part.length > end) return false;
      pos = at + part.length;
    }
    return true;
  };
}
