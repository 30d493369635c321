import { hasControlCharacter } from "@agenthifive/contracts";
import { devAllowed, parseAuthority } from "./host.js";
import type { ParsedIp } from "./ip.js";
import { encodeQueryText, isDotSegment, normaliseComponent, percentDecode } from "./percent-encoding.js";
import type { QueryInput } from "./types.js";

export { devAllowed } from "./host.js";
export { normaliseComponent, percentDecode } from "./percent-encoding.js";

/**
 * The final request URL (POLICY.md §2): the agent's `url` with the `query` object merged in,
 * normalised once, so rules, allowlists, fingerprints and the provider call all see one URL.
 */

export interface QueryPair {
  /** Decoded name (for matching; `+` reads as a space). */
  key: string;
  /** Decoded value ("" when the pair has no `=`). */
  value: string;
  /** Normalised encoded name, as sent. */
  encodedKey: string;
  /** Normalised encoded value, as sent; null when the pair has no `=`. */
  encodedValue: string | null;
}

export interface FinalUrl {
  scheme: "https" | "http";
  /** Lower-case ASCII host without trailing dot; IPv6 in brackets; IPv4 in dotted form. */
  host: string;
  /** Non-default port, or null. */
  port: number | null;
  /** `scheme://host[:port]`. */
  origin: string;
  /** Normalised path, always starting with `/`. */
  path: string;
  /** The path split on `/` (no leading empty segment; a trailing slash leaves one empty segment). */
  segments: readonly string[];
  query: readonly QueryPair[];
  href: string;
  /** The host as an IP literal, when it is one. */
  ip: ParsedIp | null;
}

export type UrlProblemCode = "INVALID_URL" | "INVALID_REQUEST";
export type UrlResult =
  | { ok: true; url: FinalUrl }
  | { ok: false; code: UrlProblemCode; reason: string; hint: string };

export interface UrlOptions {
  /** Exact hosts (or host:port) that may use plain http (VAULT_DEV_ALLOW_HOSTS). */
  devAllowHosts?: readonly string[];
  /** Accept http for any host (used to normalise policy origins). */
  allowHttp?: boolean;
}

const MAX_URL_LENGTH = 8192;

const invalid = (reason: string, hint: string): UrlResult => ({
  ok: false,
  code: "INVALID_URL",
  reason,
  hint,
});

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function splitQuery(raw: string): { ok: true; pairs: QueryPair[] } | { ok: false; result: UrlResult } {
  const pairs: QueryPair[] = [];
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = normaliseComponent(eq >= 0 ? part.slice(0, eq) : part, "query");
    const v = eq >= 0 ? normaliseComponent(part.slice(eq + 1), "query") : null;
    if (!k.ok) return { ok: false, result: invalid(`query: ${k.reason}`, k.hint) };
    if (v && !v.ok) return { ok: false, result: invalid(`query: ${v.reason}`, v.hint) };
    pairs.push({
      key: percentDecode(k.value, true),
      value: v ? percentDecode(v.value, true) : "",
      encodedKey: k.value,
      encodedValue: v ? v.value : null,
    });
  }
  return { ok: true, pairs };
}

/** `scheme://host[:port]path?query` of the parts. */
export function serialiseUrl(u: Pick<FinalUrl, "origin" | "path">, pairs: readonly QueryPair[]): string {
  const q = pairs
    .map((p) => (p.encodedValue === null ? p.encodedKey : `${p.encodedKey}=${p.encodedValue}`))
    .join("&");
  return q === "" ? `${u.origin}${u.path}` : `${u.origin}${u.path}?${q}`;
}

const MAX_REMEMBERED_URLS = 1024;
/** Longer URLs are normalised every time: the memory kept stays small (≤ ~4 MB). */
const MAX_REMEMBERED_URL_LENGTH = 1024;
const rememberedUrls = new Map<string, UrlResult>();

/** Deep-freezes a result before it is shared: a caller that tried to change it would throw. */
function frozen(result: UrlResult): UrlResult {
  if (result.ok) {
    for (const pair of result.url.query) Object.freeze(pair);
    Object.freeze(result.url.query);
    Object.freeze(result.url.segments);
    Object.freeze(result.url);
  }
  return Object.freeze(result);
}

/**
 * Builds and normalises the final URL: `query` entries are appended to the URL's own query (a key
 * present in both is `INVALID_REQUEST`), then every `INVALID_URL` rule of §2 applies. Agents call
 * the same URLs again and again, and each vault call normalises its URL more than once (rules,
 * response filters, fingerprint), so results for a URL without a `query` object are remembered
 * (bounded, frozen).
 */
export function buildFinalUrl(rawUrl: unknown, query?: QueryInput, options: UrlOptions = {}): UrlResult {
  if (
    typeof rawUrl !== "string" ||
    rawUrl.length > MAX_REMEMBERED_URL_LENGTH ||
    (query !== undefined && query !== null)
  ) {
    return normaliseUrl(rawUrl, query, options);
  }
  const key = `${options.allowHttp ? 1 : 0}${options.devAllowHosts?.join(",") ?? ""}\n${rawUrl}`;
  const known = rememberedUrls.get(key);
  if (known) return known;
  const result = frozen(normaliseUrl(rawUrl, undefined, options));
  if (rememberedUrls.size >= MAX_REMEMBERED_URLS) rememberedUrls.clear();
  rememberedUrls.set(key, result);
  return result;
}

function normaliseUrl(rawUrl: unknown, query: QueryInput | undefined, options: UrlOptions): UrlResult {
  if (typeof rawUrl !== "string" || rawUrl === "") {
    return invalid("the request has no URL", "send an absolute https URL in url");
  }
  if (rawUrl.length > MAX_URL_LENGTH)
    return invalid("the URL is too long", `keep URLs under ${MAX_URL_LENGTH} characters`);
  if (LONE_SURROGATE.test(rawUrl))
    return invalid("the URL is not valid Unicode", "send a well-formed UTF-8 URL");
  const raw = rawUrl.normalize("NFC");
  if (hasControlCharacter(raw)) {
    return invalid(
      "the URL contains a control character",
      "remove control characters (tabs, newlines, NUL) from the URL",
    );
  }
  if (raw.includes("\\"))
    return invalid("the URL contains a backslash", "use / as the path separator; backslashes are refused");
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([^?#]*)(?:\?([^#]*))?(#.*)?$/s.exec(raw);
  if (!m)
    return invalid(
      "the URL is not absolute",
      "send an absolute URL such as https://api.example.com/v1/items",
    );
  const scheme = (m[1] ?? "").toLowerCase();
  if (scheme !== "https" && scheme !== "http") {
    return invalid(`the URL scheme "${scheme}" is not allowed`, "only https:// URLs are allowed");
  }
  if (m[5] !== undefined)
    return invalid("the URL has a fragment (#…)", "remove the #fragment; it is never sent to the provider");
  const auth = parseAuthority(m[2] ?? "", scheme);
  if (!auth.ok) return invalid(auth.reason, auth.hint);
  if (scheme === "http" && !options.allowHttp && !devAllowed(auth.host, auth.port, options.devAllowHosts)) {
    return invalid(
      "plain http is not allowed",
      `use https://${auth.host}${auth.port === null ? "" : `:${auth.port}`}`,
    );
  }

  const rawPath = m[3] === "" || m[3] === undefined ? "/" : m[3];
  const segments: string[] = [];
  if (rawPath !== "/") {
    const rawSegments = rawPath.slice(1).split("/");
    for (let i = 0; i < rawSegments.length; i++) {
      const n = normaliseComponent(rawSegments[i] ?? "", "path");
      if (!n.ok) return invalid(n.reason, n.hint);
      const seg = n.value;
      if (seg === "" && i < rawSegments.length - 1) {
        return invalid('the path contains an empty segment ("//")', "remove the doubled slash");
      }
      if (isDotSegment(seg)) {
        return invalid(
          'the path contains a "." or ".." segment',
          "send the resolved path; dot segments are refused, not resolved",
        );
      }
      if (/%25(2F|5C|00)/i.test(seg)) {
        return invalid(
          "the path contains a double-encoded slash, backslash or NUL",
          "send real path segments",
        );
      }
      if (seg.includes("%") && hasControlCharacter(percentDecode(seg))) {
        return invalid(
          "the path contains an encoded control character",
          "remove control characters from the path",
        );
      }
      segments.push(seg);
    }
  }
  const path = `/${segments.join("/")}`;

  const split = splitQuery(m[4] ?? "");
  if (!split.ok) return split.result;
  const pairs = split.pairs;
  if (query) {
    const present = new Set(pairs.map((p) => p.key));
    for (const [key, val] of Object.entries(query)) {
      if (present.has(key)) {
        return {
          ok: false,
          code: "INVALID_REQUEST",
          reason: `query parameter "${key}" appears both in url and in query`,
          hint: "send each query parameter once: either in the url or in the query object",
        };
      }
      const values = Array.isArray(val) ? val : [val];
      for (const v of values) {
        const text = String(v);
        pairs.push({
          key,
          value: text,
          encodedKey: encodeQueryText(key),
          encodedValue: encodeQueryText(text),
        });
      }
    }
  }

  const origin = `${scheme}://${auth.host}${auth.port === null ? "" : `:${auth.port}`}`;
  const href = serialiseUrl({ origin, path }, pairs);
  return {
    ok: true,
    url: {
      scheme,
      host: auth.host,
      port: auth.port,
      origin,
      path,
      segments,
      query: pairs,
      href,
      ip: auth.ip,
    },
  };
}

/** The normalised origin of an allowlist entry (`scheme://host[:port]`), or null when invalid. */
export function normaliseOrigin(origin: string): string | null {
  const r = buildFinalUrl(`${origin}/`, undefined, { allowHttp: true });
  return r.ok ? r.url.origin : null;
}

/** The final URL with query pairs sorted by name then value (the fingerprint form of §5). */
export function sortedQueryHref(url: FinalUrl): string {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const pairs = [...url.query].sort(
    (a, b) =>
      cmp(a.encodedKey, b.encodedKey) ||
      cmp(a.encodedValue ?? "", b.encodedValue ?? "") ||
      (a.encodedValue === null ? 0 : 1) - (b.encodedValue === null ? 0 : 1),
  );
  return serialiseUrl(url, pairs);
}
