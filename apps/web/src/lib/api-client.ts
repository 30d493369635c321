import { getAccess } from "./access-token";
import { toApiError } from "./api-error";

export type Query = Record<string, string | number | boolean | string[] | undefined | null>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

export function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === "") continue;
    if (Array.isArray(v)) for (const item of v) params.append(k, item);
    else params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

async function send(path: string, o: RequestOptions, token: string): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, ...o.headers };
  if (o.body !== undefined) headers["content-type"] = "application/json";
  return fetch(withQuery(path, o.query), {
    method: o.method ?? "GET",
    headers,
    body: o.body === undefined ? undefined : JSON.stringify(o.body),
    credentials: "omit",
  });
}

/**
 * Calls a human route on /v1/* with the session-derived JWT. A 401 TOKEN_EXPIRED (clock drift,
 * a laptop waking up) re-exchanges once and retries.
 */
export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  let res = await send(path, o, (await getAccess()).accessToken);
  if (res.status === 401) res = await send(path, o, (await getAccess({ force: true })).accessToken);
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) throw toApiError(res.status, body);
  return body as T;
}

/** A fresh random key for POST routes that create something (API.md §1.5). */
export function idempotencyKey(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}
