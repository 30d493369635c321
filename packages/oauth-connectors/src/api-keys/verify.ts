import type { ProviderDefinition } from "../catalog/schema.js";
import { isTransientStatus } from "../error-mapping.js";
import { isOAuthConnectorError } from "../errors.js";
import type { FetchLike } from "../fetch.js";
import { readFirst, readTrue } from "../json-path.js";
import { injectCredential, resolveProvider } from "./inject.js";

export interface VerifyApiKeyOptions {
  provider: ProviderDefinition | string;
  secret: string;
  extra?: Readonly<Record<string, string>>;
  /** The API's SSRF-guarded fetch. Called once, with the catalog URL, `redirect: "manual"`. */
  fetch: FetchLike;
  timeoutMs?: number;
}

/**
 * `accountId` is null when the provider's answer names no account (OpenAI, Anthropic…): the API
 * then uses the connection id (DATA-MODEL `provider_account_id`). `verified` is false only for
 * providers without a fixed verification endpoint (the generic key), which are accepted as is.
 */
export type VerifyApiKeyResult =
  | { ok: true; accountId: string | null; label?: string; verified: boolean }
  | { ok: false; code: "API_KEY_REJECTED" | "PROVIDER_UNAVAILABLE"; status?: number };

const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Proves a pasted key or bot token works with the catalog's cheap verification request, sent
 * exactly as the vault will later send it (same injection). 4xx → API_KEY_REJECTED, network
 * errors, timeouts, 408/429/5xx, redirects and unexpected answers → PROVIDER_UNAVAILABLE. The
 * secret is never returned, logged or put in a result.
 */
export async function verifyApiKey(options: VerifyApiKeyOptions): Promise<VerifyApiKeyResult> {
  const provider = resolveProvider(options.provider);
  for (const field of provider.extraFields) {
    if (field.required && !options.extra?.[field.name])
      throw new TypeError(`extra.${field.name} is required`);
  }
  const check = provider.verification;
  let request: { url: string; headers: Record<string, string> };
  try {
    // Without a verification request (generic keys) this still proves the key and origin usable.
    const target = check ? { url: check.url, headers: check.headers } : { url: `${options.extra?.origin}/` };
    request = injectCredential(target, provider, options);
  } catch (error) {
    if (error instanceof TypeError || isOAuthConnectorError(error))
      return { ok: false, code: "API_KEY_REJECTED" };
    throw error;
  }
  if (!check) return { ok: true, accountId: null, verified: false };
  request.headers.accept ??= "application/json";
  let response: Response;
  try {
    response = await options.fetch(request.url, {
      method: check.method,
      headers: request.headers,
      redirect: "manual",
      signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch {
    return { ok: false, code: "PROVIDER_UNAVAILABLE" };
  }
  const { status } = response;
  if (status < 200 || status > 299) {
    await response.body?.cancel();
    const rejected = status >= 400 && status < 500 && !isTransientStatus(status);
    return { ok: false, code: rejected ? "API_KEY_REJECTED" : "PROVIDER_UNAVAILABLE", status };
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    if (check.successPath || check.accountId) return { ok: false, code: "PROVIDER_UNAVAILABLE", status };
  }
  if (check.successPath && !readTrue(body, check.successPath))
    return { ok: false, code: "API_KEY_REJECTED", status };
  const accountId = readFirst(body, check.accountId) ?? null;
  if (check.accountId && accountId === null) return { ok: false, code: "PROVIDER_UNAVAILABLE", status };
  const label = readFirst(body, check.label);
  return label === undefined
    ? { ok: true, accountId, verified: true }
    : { ok: true, accountId, label, verified: true };
}
