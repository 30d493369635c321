import type { Readable } from "node:stream";
import { Agent } from "undici";
import { fetchThrough } from "./safe-fetch/adapter.js";
import { destroyQuietly, discardBody, guardedBody } from "./safe-fetch/body.js";
import {
  describeTarget,
  invalidUrl,
  providerError,
  responseTooLarge,
  toTransportError,
} from "./safe-fetch/errors.js";
import {
  assertUrlAllowed,
  createGuardedConnector,
  DevAllowList,
  defaultResolver,
  type Resolver,
} from "./safe-fetch/guard.js";
import {
  CREDENTIAL_HEADERS,
  type OutgoingHeaders,
  sanitizeHeaders,
  withoutBodyHeaders,
  withoutHeaders,
} from "./safe-fetch/headers.js";

/**
 * The SSRF-guarded outbound HTTP client (POLICY.md §6, API.md S10): the ONLY way the API makes
 * outbound requests (vault Model B, LLM proxy, webhooks, API-key verification, OAuth through the
 * `fetch` adapter). One shared undici Agent (keep-alive pools per origin) whose connector resolves
 * each name once, checks every address and connects only to the checked addresses; URLs and every
 * redirect target are checked up front too. See `safe-fetch/guard.ts`.
 */

export { providerError, providerUnavailable } from "./safe-fetch/errors.js";
export type { ResolvedAddress, Resolver } from "./safe-fetch/guard.js";

export interface SafeFetchOptions {
  /** Exact `host` (any port) or `host:port` entries exempt from https-only and the address checks. */
  devAllowHosts?: readonly string[];
  /** Connect, headers and between-body-chunks timeout; default 30 000 ms. */
  timeoutMs?: number;
  /** Redirects followed before `PROVIDER_ERROR` (`too_many_redirects`); default 3. */
  maxRedirects?: number;
  /** Resolves a name to all its addresses; default `dns.promises.lookup(all, verbatim)`. */
  lookup?: Resolver;
  /** Sockets per origin; default 64. */
  connections?: number;
  /** Response body cap (`RESPONSE_TOO_LARGE`); none by default. */
  maxResponseBytes?: number;
}

export type SafeRequestBody = string | Uint8Array | Readable | null;

export interface SafeRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string | readonly string[] | undefined>;
  body?: SafeRequestBody;
  signal?: AbortSignal;
  /** The caller's policy check of each redirect target (allowlist); throw to refuse it. */
  checkRedirect?: (url: URL) => void | Promise<void>;
  /** Headers that carry a credential besides the usual ones; dropped when a redirect changes origin. */
  credentialHeaders?: readonly string[];
  /** `manual` returns a 3xx response as is; default `follow`. */
  redirect?: "follow" | "manual";
  /** Per-request overrides of the client defaults. */
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface SafeResponse {
  status: number;
  /** Lower-case names; repeated headers (`set-cookie`) as arrays. */
  headers: Record<string, string | string[]>;
  /** Streamed; read it to the end or destroy it, or the socket stays busy until the body timeout. */
  body: Readable;
  /** The final URL, after redirects. */
  url: string;
  redirects: number;
}

export interface SafeFetch {
  request(request: SafeRequest): Promise<SafeResponse>;
  /** `fetch`-compatible adapter (oauth4webapi `customFetch`, simple JSON calls); bodies are buffered. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_REDIRECTS = 3;
const DEFAULT_CONNECTIONS = 64;

function parseRequestUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(String(input));
  } catch {
    throw invalidUrl("The URL is not a valid absolute URL.");
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidUrl(`The URL of ${url.host} contains user:password@.`, { reason: "userinfo" });
  }
  url.hash = "";
  return url;
}

function parseRedirectTarget(location: string, base: URL): URL {
  let url: URL;
  try {
    url = new URL(location, base);
  } catch {
    throw providerError(`The provider at ${describeTarget(base)} redirected to an invalid URL.`, {
      reason: "invalid_redirect",
    });
  }
  if (url.username !== "" || url.password !== "") {
    throw providerError(`The provider at ${describeTarget(base)} redirected to a URL with user:password@.`, {
      reason: "invalid_redirect",
    });
  }
  url.hash = "";
  return url;
}

const isReplayable = (body: SafeRequestBody): boolean =>
  body === null || typeof body === "string" || body instanceof Uint8Array;

function flattenHeaders(
  raw: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(raw)) if (value !== undefined) out[name.toLowerCase()] = value;
  return out;
}

export function createSafeFetch(options: SafeFetchOptions = {}): SafeFetch {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  const devAllow = new DevAllowList(options.devAllowHosts);
  const agent = new Agent({
    connect: createGuardedConnector({
      resolve: options.lookup ?? defaultResolver,
      devAllow,
      connectTimeoutMs: timeoutMs,
    }),
    connections: options.connections ?? DEFAULT_CONNECTIONS,
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  async function request(req: SafeRequest): Promise<SafeResponse> {
    let url = parseRequestUrl(req.url);
    assertUrlAllowed(url, devAllow);
    let method = req.method.toUpperCase();
    let body: SafeRequestBody = req.body ?? null;
    let headers: OutgoingHeaders = sanitizeHeaders(req.headers, !isReplayable(body));
    const requestTimeout = req.timeoutMs ?? timeoutMs;
    const maxBytes = req.maxResponseBytes ?? options.maxResponseBytes;
    let redirects = 0;

    for (;;) {
      let res: Awaited<ReturnType<Agent["request"]>>;
      try {
        res = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method,
          headers,
          body,
          signal: req.signal ?? null,
          headersTimeout: requestTimeout,
          bodyTimeout: requestTimeout,
        });
      } catch (err) {
        throw toTransportError(err, url, req.signal);
      }
      const status = res.statusCode;
      const location = res.headers.location;
      if (req.redirect !== "manual" && REDIRECT_STATUSES.has(status) && typeof location === "string") {
        await discardBody(res.body);
        if (redirects >= maxRedirects) {
          throw providerError(
            `The provider at ${describeTarget(url)} redirected more than ${maxRedirects} times.`,
            {
              reason: "too_many_redirects",
              maxRedirects,
            },
          );
        }
        const next = parseRedirectTarget(location, url);
        assertUrlAllowed(next, devAllow);
        await req.checkRedirect?.(new URL(next.href));
        if (
          (status === 303 && method !== "HEAD") ||
          ((status === 301 || status === 302) && method === "POST")
        ) {
          method = "GET";
          body = null;
          headers = withoutBodyHeaders(headers);
        } else if (!isReplayable(body)) {
          throw providerError(`The provider at ${describeTarget(url)} redirected a streamed request body.`, {
            reason: "redirect_body_not_replayable",
          });
        }
        if (next.origin !== url.origin) {
          headers = withoutHeaders(headers, [...CREDENTIAL_HEADERS, ...(req.credentialHeaders ?? [])]);
        }
        url = next;
        redirects++;
        continue;
      }

      const responseHeaders = flattenHeaders(res.headers);
      const length = Number(responseHeaders["content-length"]);
      if (maxBytes !== undefined && Number.isFinite(length) && length > maxBytes) {
        destroyQuietly(res.body);
        throw responseTooLarge(describeTarget(url), maxBytes);
      }
      return {
        status,
        headers: responseHeaders,
        body: guardedBody(res.body, url, maxBytes, req.signal),
        url: url.href,
        redirects,
      };
    }
  }

  let closing: Promise<void> | null = null;
  return {
    request,
    fetch: (input, init) => fetchThrough(request, input, init),
    // Idempotent: waits for in-flight requests, then closes the pooled sockets.
    close: () => {
      closing ??= agent.close();
      return closing;
    },
  };
}
