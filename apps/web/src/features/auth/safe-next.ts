const BASE = "https://dashboard.invalid";

/**
 * `?next=` as a dashboard path, or `fallback`. Browsers and the router read `/\evil.example`,
 * `/<tab>/evil.example` and the like as another origin, so the value is parsed against a fixed
 * origin and only its path, query and fragment are kept when that origin did not change.
 */
export function safeNextPath(next: string | null | undefined, fallback: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (!next?.startsWith("/") || next.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(next))
    return fallback;
  try {
    const url = new URL(next, BASE);
    return url.origin === BASE ? `${url.pathname}${url.search}${url.hash}` : fallback;
  } catch {
    return fallback;
  }
}
