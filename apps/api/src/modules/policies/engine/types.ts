/** Input shapes of the pure policy engine (POLICY.md §3–§5 and the test-vector format of §8). */

/** `query` of a vault request (API.md §3.9): each key once, a value or a list of values. */
export type QueryInput = Readonly<
  Record<string, string | number | boolean | readonly (string | number | boolean)[]>
>;

/** Auth type of the connection (DATA-MODEL.md `connection_auth_type`). */
export type ConnectionAuthType = "oauth" | "device" | "api_key" | "bot_token";

/** What the agent asked the vault to do. */
export interface PolicyRequest {
  model: "A" | "B" | (string & {});
  method?: string;
  /** Absolute URL the agent sent (Model B). */
  url?: string;
  /** Query parameters merged into `url` before anything else (§2). */
  query?: QueryInput;
  headers?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** A JSON body (any JSON value), or raw bytes as a `Uint8Array`. */
  body?: unknown;
  /** A raw (binary) body as base64 — API.md `bodyBase64`. */
  bodyBase64?: string;
  /** Declared body size in bytes; computed from `body` / `bodyBase64` when absent. */
  bodyBytes?: number;
  /** Model A: the scopes the vended token should carry (narrowing). */
  scopes?: readonly string[];
}

export interface PolicyUsage {
  /** Executed requests in the current rate-limit window. */
  requestsInWindow?: number;
  /** Executed requests today (UTC). */
  requestsToday?: number;
  /** Seconds until the rate-limit window frees a slot. */
  retryAfterSeconds?: number;
}

/** Everything that is not the request: time, counters, connection facts. No clock inside. */
export interface PolicyContext {
  /** The evaluation instant: ISO 8601 string, `Date` or epoch milliseconds. */
  now: string | number | Date;
  usage?: PolicyUsage;
  /**
   * Auth type of the connection. Model A is only allowed for OAuth-style connections
   * (`oauth`, `device`); absent means unknown, which fails closed for Model A.
   */
  connectionAuthType?: ConnectionAuthType | (string & {});
  /** `VAULT_DEV_ALLOW_HOSTS`: exact hosts (or host:port) that may use http and skip the IP-literal guard. */
  devAllowHosts?: readonly string[];
}

/** The provider's answer, as handed to `filterResponse`. */
export interface PolicyResponse {
  status?: number;
  contentType?: string | null;
  /**
   * The body: for JSON types a parsed JSON value, or the raw text (`string`) / bytes (`Uint8Array`)
   * which are then parsed; for NDJSON and SSE the raw text or bytes; for other types anything
   * (those types are unfilterable).
   */
  body: unknown;
  /** Body size in bytes, when known (else measured). */
  bodyBytes?: number;
}

export interface FilterOptions {
  /** Accepted for symmetry with `evaluateRequest` (the vectors pass a context); unused. */
  now?: string | number | Date;
  /** ISO 3166 region that enables national phone formats (e.g. "US", "GB", "DE"). */
  phoneRegion?: string;
}

/** The request half of `filterResponse` (only method and URL matter). */
export interface FilterRequest {
  method?: string;
  url?: string;
  query?: QueryInput;
}
