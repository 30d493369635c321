import type { SafeRequest, SafeResponse } from "../safe-fetch.js";
import { destroyQuietly, discardBody, toWebStream } from "./body.js";
import { describeTarget, invalidUrl, providerError } from "./errors.js";

/** Statuses whose `Response` must have a null body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function inputUrl(input: string | URL | Request): string {
  if (typeof input === "string") return input;
  if (input instanceof URL) return input.href;
  return input.url;
}

/**
 * `fetch(input, init)` over the guarded `request`: the same checks, redirects (`redirect:
 * "manual"` returns the 3xx response, `"error"` refuses it) and errors (`AppError`s, not
 * `TypeError`s). The request body is buffered; the response body streams.
 */
export async function fetchThrough(
  request: (req: SafeRequest) => Promise<SafeResponse>,
  input: string | URL | Request,
  init?: RequestInit,
): Promise<Response> {
  // Checked before `new Request`, which would throw a TypeError on user:password@.
  let url: URL;
  try {
    url = new URL(inputUrl(input));
  } catch {
    throw invalidUrl("The URL is not a valid absolute URL.");
  }
  if (url.username !== "" || url.password !== "") {
    throw invalidUrl(`The URL of ${url.host} contains user:password@.`, { reason: "userinfo" });
  }
  const req = new Request(input, init);
  const headers: Record<string, string> = {};
  req.headers.forEach((value, name) => {
    headers[name] = value;
  });
  const body = req.body ? new Uint8Array(await req.arrayBuffer()) : null;
  const res = await request({
    method: req.method,
    url: req.url,
    headers,
    body,
    signal: req.signal,
    redirect: req.redirect === "follow" ? "follow" : "manual",
  });

  if (req.redirect === "error" && REDIRECT_STATUSES.has(res.status)) {
    await discardBody(res.body);
    throw providerError(`The provider at ${describeTarget(new URL(res.url))} answered with a redirect.`, {
      reason: "unexpected_redirect",
    });
  }
  if (res.status < 200 || res.status > 599) {
    destroyQuietly(res.body);
    throw providerError(`The provider at ${describeTarget(url)} answered with status ${res.status}.`, {
      reason: "invalid_response",
    });
  }
  const responseHeaders = new Headers();
  try {
    for (const [name, value] of Object.entries(res.headers)) {
      for (const v of typeof value === "string" ? [value] : value) responseHeaders.append(name, v);
    }
  } catch {
    destroyQuietly(res.body);
    throw providerError(`The provider at ${describeTarget(url)} sent an invalid header.`, {
      reason: "invalid_response",
    });
  }
  const nullBody = NULL_BODY_STATUSES.has(res.status) || req.method === "HEAD";
  if (nullBody) await discardBody(res.body);
  const response = new Response(nullBody ? null : toWebStream(res.body), {
    status: res.status,
    headers: responseHeaders,
  });
  // A constructed Response has url "" and redirected false; report the real ones.
  Object.defineProperty(response, "url", { value: res.url });
  Object.defineProperty(response, "redirected", { value: res.redirects > 0 });
  return response;
}
