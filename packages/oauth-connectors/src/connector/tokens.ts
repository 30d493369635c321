import type { TokenEndpointResponse } from "oauth4webapi";
import type { RawTokenExtras, TokenSet } from "./types.js";

/** Keys never copied into `raw`, at any depth: they name tokens, secrets or codes. */
const SECRET_KEY = /token|secret|code|password|assertion|key/i;

/** Splits a `scope` value; commas too for providers that use them (Slack, GitHub). */
export function parseScopes(value: unknown, separator: " " | ","): string[] | undefined {
  if (typeof value !== "string") return undefined;
  const parts = value.split(separator === "," ? /[\s,]+/ : /\s+/);
  return [...new Set(parts.filter((part) => part !== ""))];
}

/**
 * The non-secret remainder of a token response. Keys that look secret are dropped rather than
 * masked: the API stores `raw` in plain `metadata` and a masked secret is still a leak.
 */
export function sanitiseExtras(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sanitiseExtras);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if (!SECRET_KEY.test(key)) out[key] = sanitiseExtras(child);
  }
  return out;
}

const STANDARD = new Set(["access_token", "refresh_token", "id_token", "token_type", "expires_in", "scope"]);

export interface TokenSetInput {
  response: TokenEndpointResponse;
  separator: " " | ",";
  nowMs: number;
  fallbackScopes?: readonly string[];
}

/** TokenEndpointResponse → TokenSet, without identity (added by the caller). */
export function toTokenSet({ response, separator, nowMs, fallbackScopes }: TokenSetInput): TokenSet {
  const tokens: TokenSet = {
    accessToken: response.access_token,
    tokenType: response.token_type,
    scopes: parseScopes(response.scope, separator) ?? [...(fallbackScopes ?? [])],
  };
  if (typeof response.refresh_token === "string") tokens.refreshToken = response.refresh_token;
  if (typeof response.id_token === "string") tokens.idToken = response.id_token;
  if (typeof response.expires_in === "number" && response.expires_in > 0) {
    tokens.expiresAt = new Date(nowMs + response.expires_in * 1000);
  }
  const refreshExpiresIn = response.refresh_token_expires_in;
  if (typeof refreshExpiresIn === "number" && refreshExpiresIn > 0) {
    tokens.refreshExpiresAt = new Date(nowMs + refreshExpiresIn * 1000);
  }
  const extras = Object.fromEntries(Object.entries(response).filter(([key]) => !STANDARD.has(key)));
  const raw = sanitiseExtras(extras) as RawTokenExtras;
  if (Object.keys(raw).length > 0) tokens.raw = raw;
  return tokens;
}
