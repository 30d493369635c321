/** Hop-by-hop and identity headers an agent may never set on a provider request (API.md §3.9). */
const DROPPED = new Set([
  "authorization",
  "cookie",
  "host",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "content-length",
  "forwarded",
  "x-api-key",
  "x-goog-api-key",
  // The vault reads the answer (rules, credential echoes, size): it asks for it uncompressed.
  "accept-encoding",
]);

/**
 * Keeps the agent's harmless headers and reports the names it dropped (for the audit row). A
 * header whose value carries the agent's own token is dropped too: the agent credential never
 * reaches a provider.
 */
export function filterAgentHeaders(
  headers: Record<string, string> | undefined,
  agentToken: string,
): { kept: Record<string, string>; dropped: string[] } {
  const kept: Record<string, string> = {};
  const dropped: string[] = [];
  for (const [rawName, value] of Object.entries(headers ?? {})) {
    const name = rawName.toLowerCase();
    if (
      DROPPED.has(name) ||
      name.startsWith("proxy-") ||
      name.startsWith("x-forwarded-") ||
      value.includes(agentToken)
    ) {
      dropped.push(name);
    } else {
      kept[name] = value;
    }
  }
  return { kept, dropped };
}

/**
 * Provider response headers an agent never sees (API.md §3.9.2): credentials and hop-by-hop
 * headers, and headers that would act on the vault's own origin when a body is passed through
 * (the LLM proxy, streams, downloads) — CORS grants, HSTS, Alt-Svc, Clear-Site-Data, Refresh.
 * `Location` stays: a 201's new resource is what the agent asked for.
 */
const RESPONSE_DENY = new Set([
  "set-cookie",
  "set-cookie2",
  "www-authenticate",
  "proxy-authenticate",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "trailer",
  "upgrade",
  "strict-transport-security",
  "alt-svc",
  "clear-site-data",
  "refresh",
]);

export function filterResponseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawName, value] of Object.entries(headers)) {
    const name = rawName.toLowerCase();
    if (value === undefined || RESPONSE_DENY.has(name) || name.startsWith("access-control-")) continue;
    out[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}
