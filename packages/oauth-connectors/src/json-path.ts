/**
 * Reads `a.b.c` from parsed JSON. Strings come back as they are; finite numbers (Telegram and
 * GitHub ids) as their decimal string; anything else, or an empty string, as undefined.
 */
export function readString(value: unknown, path: string): string | undefined {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  if (typeof current === "number" && Number.isFinite(current)) return String(current);
  return typeof current === "string" && current !== "" ? current : undefined;
}

/** The first candidate path that yields a value. */
export function readFirst(value: unknown, paths: readonly string[] | undefined): string | undefined {
  for (const path of paths ?? []) {
    const found = readString(value, path);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** True only for a JSON `true` at `path`. */
export function readTrue(value: unknown, path: string): boolean {
  let current: unknown = value;
  for (const key of path.split(".")) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return false;
    current = (current as Record<string, unknown>)[key];
  }
  return current === true;
}
