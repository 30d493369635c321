/** Outgoing header hygiene of the fetch guard. */

export type OutgoingHeaders = Record<string, string | string[]>;

/** Connection-level headers undici manages (or refuses), and `host`, which follows the URL. */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "transfer-encoding",
  "upgrade",
  "te",
  "trailer",
  "host",
  "expect",
]);

/** Headers that carry a credential: dropped when a redirect leaves the original origin. */
export const CREDENTIAL_HEADERS: readonly string[] = [
  "authorization",
  "proxy-authorization",
  "cookie",
  "x-api-key",
  "api-key",
  "x-goog-api-key",
  "x-auth-token",
];

/** Body headers dropped when a redirect turns the request into a GET (fetch spec, 4.4 step 12). */
const BODY_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
];

/**
 * Lower-cased copy without hop-by-hop headers, `host`, and (for a body undici measures itself)
 * `content-length`.
 */
export function sanitizeHeaders(
  headers: Record<string, string | readonly string[] | undefined> | undefined,
  keepContentLength: boolean,
): OutgoingHeaders {
  const out: OutgoingHeaders = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const key = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(key) || key.startsWith("proxy-")) continue;
    if (key === "content-length" && !keepContentLength) continue;
    const previous = out[key];
    const values = typeof value === "string" ? [value] : [...value];
    if (previous === undefined) out[key] = values.length === 1 && typeof value === "string" ? value : values;
    else out[key] = [...(typeof previous === "string" ? [previous] : previous), ...values];
  }
  return out;
}

export function withoutHeaders(headers: OutgoingHeaders, names: readonly string[]): OutgoingHeaders {
  const drop = new Set(names.map((n) => n.toLowerCase()));
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !drop.has(name)));
}

export function withoutBodyHeaders(headers: OutgoingHeaders): OutgoingHeaders {
  return withoutHeaders(headers, BODY_HEADERS);
}
