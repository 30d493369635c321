import { randomUUID } from "node:crypto";
import { AgentHiFiveError, errorFromResponse } from "./errors.js";

/** The subset of `fetch` the SDK uses; inject your own (proxies, tests, instrumentation). */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export type HttpMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface TransportOptions {
  /** API origin, e.g. `https://api.agenthifive.example` (a trailing slash is ignored). */
  baseUrl: string;
  fetch?: FetchLike | undefined;
  /** Per attempt, until the response headers (and a JSON body) arrived. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Extra attempts for retryable failures. Default 2. */
  maxRetries?: number | undefined;
  /** First backoff step; doubled per attempt, full jitter. Default 250 ms. */
  retryBaseDelayMs?: number | undefined;
  /** A `Retry-After` longer than this is not waited for: the error is thrown instead. Default 30 s. */
  maxRetryDelayMs?: number | undefined;
  userAgent?: string | undefined;
}

/** Supplies the `Authorization` header and, once per request, a fresh one after a 401. */
export interface AuthProvider {
  authorization(signal?: AbortSignal): Promise<string | undefined>;
  /** Called on a 401; resolves true when a new credential was obtained and the request may be resent. */
  refresh?(error: AgentHiFiveError, signal?: AbortSignal): Promise<boolean>;
}

export type QueryValue = string | number | boolean | readonly string[] | undefined | null;

export interface RequestOptions {
  method: HttpMethod;
  path: string;
  query?: Record<string, QueryValue> | undefined;
  /** JSON body. */
  body?: unknown;
  headers?: Record<string, string> | undefined;
  /** `true` generates a key; a string is sent as is (API.md §1.5). */
  idempotencyKey?: string | true | undefined;
  /**
   * Whether resending after a lost answer is harmless. Defaults to true for GET/HEAD/PUT/DELETE.
   * Non-idempotent requests are only retried when the API says nothing ran (429/503 with
   * `Retry-After`, or an idempotency key still in flight).
   */
  idempotent?: boolean | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
  /** Send the credential (default true). Public routes set false. */
  authenticated?: boolean | undefined;
}

const IDEMPOTENT_METHODS = new Set<HttpMethod>(["GET", "HEAD", "PUT", "DELETE"]);
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(abortedError(signal.reason));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortedError(signal?.reason));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

function abortedError(cause?: unknown) {
  return new AgentHiFiveError({
    code: "ABORTED",
    status: 0,
    message: "The request was cancelled.",
    cause,
  });
}

export function buildUrl(baseUrl: string, path: string, query?: Record<string, QueryValue>): string {
  const url = new URL(path, `${baseUrl.replace(/\/+$/, "")}/`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(key, String(v));
    else url.searchParams.set(key, String(value));
  }
  return url.toString();
}

/**
 * HTTP with timeouts, the API's error shape, one re-authentication on 401 and retries with
 * exponential backoff and full jitter only where a resend is safe.
 */
export class Transport {
  readonly baseUrl: string;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #userAgent: string;

  constructor(
    options: TransportOptions,
    readonly auth?: AuthProvider,
  ) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#maxRetries = options.maxRetries ?? 2;
    this.#baseDelayMs = options.retryBaseDelayMs ?? 250;
    this.#maxDelayMs = options.maxRetryDelayMs ?? 30_000;
    this.#userAgent = options.userAgent ?? "agenthifive-sdk/0.1.0";
  }

  /** Sends and parses a JSON answer (undefined for 204). Throws `AgentHiFiveError` on non-2xx. */
  async json<T>(options: RequestOptions): Promise<T> {
    const { response, done } = await this.send(options, true);
    try {
      return (await readJson(response)) as T;
    } finally {
      done();
    }
  }

  /**
   * Sends and returns the 2xx `Response` unread (streams, downloads, exports). The timeout covers
   * the headers only; the caller's signal still cancels the body.
   */
  async raw(options: RequestOptions): Promise<Response> {
    const { response, done } = await this.send(options, false);
    done();
    return response;
  }

  private async send(options: RequestOptions, keepTimerForBody: boolean) {
    const idempotencyKey =
      options.idempotencyKey === true ? randomUUID() : (options.idempotencyKey ?? undefined);
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(options.method);
    let reauthenticated = false;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(options, idempotencyKey, keepTimerForBody);
      } catch (error) {
        if (!(error instanceof AgentHiFiveError)) throw error;
        if (
          error.status === 401 &&
          !reauthenticated &&
          options.authenticated !== false &&
          this.auth?.refresh &&
          (await this.auth.refresh(error, options.signal))
        ) {
          reauthenticated = true;
          attempt--;
          continue;
        }
        const delayMs = this.retryDelay(error, attempt, idempotent, idempotencyKey !== undefined);
        if (delayMs === undefined) throw error;
        await sleep(delayMs, options.signal);
      }
    }
  }

  /** Milliseconds to wait before the next attempt, or undefined when not retrying. */
  private retryDelay(e: AgentHiFiveError, attempt: number, idempotent: boolean, keyed: boolean) {
    if (attempt >= this.#maxRetries || e.code === "ABORTED") return undefined;
    const jitter = () => Math.random() * this.#baseDelayMs;
    if (e.retryAfter !== undefined) {
      const waitMs = e.retryAfter * 1000;
      if (waitMs > this.#maxDelayMs) return undefined;
      // The API refused before doing anything: rate limits, shutting down, key in flight.
      const nothingRan =
        e.status === 429 ||
        (e.status === 503 && e.code !== "PROVIDER_UNAVAILABLE") ||
        (e.status === 409 && keyed && e.code === "CONFLICT");
      if (nothingRan || (idempotent && e.status === 503)) return waitMs + jitter();
    }
    const backoff = () => Math.random() * Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** attempt);
    // A lost answer (no HTTP status) to a keyed request is resent with the same key: the API
    // replays the stored answer or says the first is still in flight (API.md §1.5).
    if (!idempotent) return keyed && e.status === 0 && e.code !== "ABORTED" ? backoff() : undefined;
    if (e.status === 0 || TRANSIENT_STATUSES.has(e.status)) return backoff();
    return undefined;
  }

  private async attempt(o: RequestOptions, idempotencyKey: string | undefined, keepTimerForBody: boolean) {
    const headers: Record<string, string> = {
      accept: "application/json",
      "user-agent": this.#userAgent,
      ...o.headers,
    };
    if (o.body !== undefined) headers["content-type"] = "application/json";
    if (idempotencyKey) headers["idempotency-key"] = idempotencyKey;
    if (o.authenticated !== false && this.auth) {
      const authorization = await this.auth.authorization(o.signal);
      if (authorization) headers.authorization = authorization;
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, o.timeoutMs ?? this.#timeoutMs);
    const onAbort = () => controller.abort(o.signal?.reason);
    if (o.signal?.aborted) onAbort();
    o.signal?.addEventListener("abort", onAbort, { once: true });
    const done = () => {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
    };
    let response: Response;
    try {
      response = await this.#fetch(buildUrl(this.baseUrl, o.path, o.query), {
        method: o.method,
        headers,
        body: o.body === undefined ? undefined : JSON.stringify(o.body),
        signal: controller.signal,
      });
    } catch (cause) {
      clearTimeout(timer);
      o.signal?.removeEventListener("abort", onAbort);
      if (timedOut) {
        throw new AgentHiFiveError({
          code: "TIMEOUT",
          status: 0,
          message: `No answer from the API within ${o.timeoutMs ?? this.#timeoutMs} ms.`,
          hint: "Check the API URL and your network, or raise timeoutMs.",
          cause,
        });
      }
      if (o.signal?.aborted) throw abortedError(cause);
      throw new AgentHiFiveError({
        code: "NETWORK_ERROR",
        status: 0,
        message: `Could not reach the API at ${this.baseUrl}.`,
        hint: "Check the API URL and that the API is running.",
        cause,
      });
    }
    if (response.status >= 200 && response.status < 300) {
      // A streamed body outlives the timeout, but the caller's signal still cancels it.
      return { response, done: keepTimerForBody ? done : () => clearTimeout(timer) };
    }
    try {
      const body = await readJson(response).catch(() => undefined);
      throw errorFromResponse(response.status, response.headers, body);
    } finally {
      done();
    }
  }
}

/** Parses a JSON body; 204 / empty → undefined. */
export async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new AgentHiFiveError({
      code: "INVALID_RESPONSE",
      status: response.status,
      message: "The API answered with a body that is not JSON.",
      requestId: response.headers.get("x-request-id") ?? undefined,
      cause,
    });
  }
}
