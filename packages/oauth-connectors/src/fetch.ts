import * as oauth from "oauth4webapi";
import { connectorError } from "./error-mapping.js";
import { OAuthConnectorError, type OAuthOperation } from "./errors.js";

/**
 * The fetch the connectors call: the global one by default, the API's SSRF-guarded one in
 * production, a test double in tests. Must not follow redirects on its own when told `manual`.
 */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface ProviderFetchOptions {
  fetch: FetchLike;
  timeoutMs: number;
  operation: OAuthOperation;
  /** Token, revocation and device endpoints, where the provider quirks below apply. */
  grantEndpoints: ReadonlySet<string>;
  jsonTokenRequest: boolean;
  errorsWithStatus200: boolean;
}

/**
 * Wraps the injected fetch for one operation: a timeout, transport failures turned into
 * ERR_PROVIDER_UNAVAILABLE (without the URL or the underlying message, which can carry a query
 * string), and two provider quirks normalised into standard OAuth so oauth4webapi sees RFC 6749
 * answers. No cookies are ever stored or sent: this package has no session state.
 */
export function createProviderFetch(options: ProviderFetchOptions): FetchLike {
  return async (url, init) => {
    const grant = options.grantEndpoints.has(stripQuery(url));
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let request: RequestInit = { ...init, signal };
    if (grant && options.jsonTokenRequest && init.body instanceof URLSearchParams) {
      request = withJsonBody(request, init.body);
    }
    let response: Response;
    try {
      response = await options.fetch(url, request);
    } catch (error) {
      // Whatever the injected fetch threw (ECONNREFUSED, DNS, abort, the SSRF guard's refusal)
      // is dropped: its message may hold the URL with its query. The guard logs its own refusals.
      if (error instanceof OAuthConnectorError) throw error;
      const reason = timeout.aborted
        ? "the provider did not answer in time"
        : "the provider could not be reached";
      throw connectorError("ERR_PROVIDER_UNAVAILABLE", options.operation, { reason });
    }
    if (grant && options.errorsWithStatus200 && response.status === 200) {
      return await normaliseStatus200Error(response);
    }
    return response;
  };
}

export interface HttpOptions {
  [oauth.customFetch]: FetchLike;
  [oauth.allowInsecureRequests]: boolean;
}

/** The oauth4webapi transport options for one operation. */
export function httpOptions(fetch: FetchLike, allowInsecureHttp: boolean): HttpOptions {
  return { [oauth.customFetch]: fetch, [oauth.allowInsecureRequests]: allowInsecureHttp };
}

function stripQuery(url: string): string {
  const index = url.search(/[?#]/);
  return index === -1 ? url : url.slice(0, index);
}

function withJsonBody(init: RequestInit, body: URLSearchParams): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return { ...init, headers, body: JSON.stringify(Object.fromEntries(body)) };
}

/**
 * GitHub (`{error}`) and Slack (`{ok: false, error}`) report token errors with HTTP 200. Turn
 * those into the 400 + `{error}` of RFC 6749 §5.2; successful answers pass through untouched.
 */
async function normaliseStatus200Error(response: Response): Promise<Response> {
  const text = await response.text();
  const rebuilt = () => new Response(text, { status: response.status, headers: response.headers });
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return rebuilt();
  }
  if (!body || typeof body !== "object") return rebuilt();
  const { error, ok, access_token: accessToken } = body as Record<string, unknown>;
  const failed = ok === false || (typeof error === "string" && typeof accessToken !== "string");
  if (!failed) return rebuilt();
  return new Response(JSON.stringify({ error: typeof error === "string" ? error : "invalid_request" }), {
    status: 400,
    headers: { "content-type": "application/json" },
  });
}
