import { fieldPathProblem } from "@agenthifive/contracts";

/**
 * JSON field paths of POLICY.md §4: dot-separated; `*` matches any one key or array index; `**`
 * matches zero or more levels. A path is compiled into a small NFA whose states are positions in
 * the segment list, so a whole document is matched against many paths in one walk.
 */

export interface FieldPath {
  source: string;
  segments: readonly string[];
}

/** A set of NFA positions (sorted, unique). */
export type PathStates = readonly number[];

export function compileFieldPath(source: string): FieldPath {
  const problem = fieldPathProblem(source);
  if (problem) throw new Error(problem);
  return { source, segments: source.split(".") };
}

function close(path: FieldPath, states: number[]): number[] {
  const out = new Set<number>();
  const stack = [...states];
  while (stack.length > 0) {
    const s = stack.pop() ?? 0;
    if (out.has(s)) continue;
    out.add(s);
    if (path.segments[s] === "**") stack.push(s + 1);
  }
  return [...out].sort((a, b) => a - b);
}

/** States before any key is consumed (the root). */
export function initialStates(path: FieldPath): PathStates {
  return close(path, [0]);
}

/** States after descending into child `key` (an object key or an array index as a string). */
export function stepStates(path: FieldPath, states: PathStates, key: string): PathStates {
  const next: number[] = [];
  for (const s of states) {
    const seg = path.segments[s];
    if (seg === undefined) continue;
    if (seg === "**") next.push(s);
    else if (seg === "*" || seg === key) next.push(s + 1);
  }
  return next.length === 0 ? next : close(path, next);
}

/** True when the states include the end of the path (the current node matches). */
export function accepts(path: FieldPath, states: PathStates): boolean {
  return states.includes(path.segments.length);
}

export type JsonContainer = Record<string, unknown> | unknown[];

export function isContainer(value: unknown): value is JsonContainer {
  return typeof value === "object" && value !== null && !(value instanceof Uint8Array);
}

/** Child entries of a JSON container as [key, value]; array indexes become strings. */
export function childEntries(value: JsonContainer): [string, unknown][] {
  if (Array.isArray(value)) return value.map((v, i) => [String(i), v]);
  return Object.entries(value);
}

/** Deepest JSON nesting the engine walks; deeper documents are refused (fail closed). */
export const MAX_JSON_DEPTH = 512;

/** Thrown when a document is nested deeper than `MAX_JSON_DEPTH`. */
export class JsonTooDeepError extends Error {
  constructor() {
    super(`JSON nested deeper than ${MAX_JSON_DEPTH} levels`);
    this.name = "JsonTooDeepError";
  }
}

/** Every value the path selects, in document order (with its concrete path). */
export function selectValues(root: unknown, path: FieldPath): { path: string[]; value: unknown }[] {
  const out: { path: string[]; value: unknown }[] = [];
  const walk = (node: unknown, states: PathStates, at: string[]) => {
    if (accepts(path, states)) out.push({ path: at, value: node });
    if (!isContainer(node)) return;
    if (at.length >= MAX_JSON_DEPTH) throw new JsonTooDeepError();
    for (const [key, child] of childEntries(node)) {
      const next = stepStates(path, states, key);
      if (next.length > 0) walk(child, next, [...at, key]);
    }
  };
  walk(root, initialStates(path), []);
  return out;
}
