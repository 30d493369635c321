import type { FilterResult, Redaction } from "@agenthifive/contracts";
import { type CompiledPolicy, type CompiledResponseRule, tryCompilePolicy } from "./compile.js";
import { mediaType } from "./fingerprint.js";
import { JsonTooDeepError } from "./json-paths.js";
import { matchPathPattern } from "./patterns.js";
import { createLineFilter, type StreamFilter, type StreamKind } from "./stream-filter.js";
import { applyRules } from "./transforms.js";
import type { FilterOptions, FilterRequest, PolicyResponse } from "./types.js";
import { buildFinalUrl } from "./url.js";

/**
 * `filterResponse` — POLICY.md §4. Every response rule whose match fits the request applies, in
 * order. When a rule applies and the body cannot be filtered (not JSON, binary, a stream that is
 * not NDJSON or SSE with JSON data, larger than `maxResponseBytes`), the response is blocked with
 * `RESPONSE_UNFILTERABLE` and the body is withheld (null): fail closed.
 */

/** Default cap on a filtered body when the policy sets no `maxResponseBytes` (API.md §3.9.2). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

type BodyKind = "json" | StreamKind | "other";

/** How a content type is filtered. */
export function bodyKind(contentType: string | null | undefined): BodyKind {
  const t = mediaType(contentType);
  if (t === null) return "other";
  if (
    t === "application/json" ||
    t === "text/json" ||
    (t.startsWith("application/") && t.endsWith("+json"))
  ) {
    return "json";
  }
  if (
    [
      "application/x-ndjson",
      "application/ndjson",
      "application/jsonl",
      "application/x-jsonlines",
      "application/jsonlines",
    ].includes(t)
  ) {
    return "ndjson";
  }
  if (t === "text/event-stream") return "sse";
  return "other";
}

/** The response rules that apply to this request (all of them when the URL cannot be read). */
export function applicableResponseRules(
  policy: CompiledPolicy,
  request: FilterRequest,
): CompiledResponseRule[] {
  const method = typeof request.method === "string" ? request.method.toUpperCase() : null;
  const built = buildFinalUrl(request.url, request.query, { allowHttp: true });
  const segments = built.ok ? built.url.segments : null;
  return policy.responseRules.filter((rule) => {
    if (rule.methods && method !== null && !rule.methods.has(method)) return false;
    if (rule.path && segments !== null && !matchPathPattern(rule.path, segments)) return false;
    return true;
  });
}

const blocked = (reason: string): FilterResult => ({
  body: null,
  redactions: [],
  blocked: { code: "RESPONSE_UNFILTERABLE" },
  reason,
});

function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === "" || (body instanceof Uint8Array && body.byteLength === 0);
}

function measure(response: PolicyResponse): number {
  if (typeof response.bodyBytes === "number") return response.bodyBytes;
  const b = response.body;
  if (b instanceof Uint8Array) return b.byteLength;
  if (typeof b === "string") return Buffer.byteLength(b, "utf8");
  return Buffer.byteLength(JSON.stringify(b) ?? "", "utf8");
}

/** Filters a buffered response. `policy` is a compiled policy or a raw stored document. */
export function filterResponse(
  policy: unknown,
  request: FilterRequest,
  response: PolicyResponse,
  options: FilterOptions = {},
): FilterResult {
  const compiled = tryCompilePolicy(policy);
  if (!compiled.ok) return blocked("the policy document is invalid");
  const rules = applicableResponseRules(compiled.policy, request);
  if (rules.length === 0) return { body: response.body, redactions: [] };
  if (isEmptyBody(response.body))
    return { body: response.body, redactions: [], appliedRuleIds: rules.map((r) => r.id) };

  const max = compiled.policy.document.limits?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  if (measure(response) > max) return blocked(`the body is larger than maxResponseBytes (${max})`);

  const kind = bodyKind(response.contentType);
  const pii = { phoneRegion: options.phoneRegion };
  const appliedRuleIds = rules.map((r) => r.id);
  if (kind === "other") {
    return blocked(
      `a response rule applies but ${mediaType(response.contentType) ?? "an untyped body"} cannot be filtered`,
    );
  }
  if (kind === "json") {
    let value: unknown = response.body;
    if (value instanceof Uint8Array || typeof value === "string") {
      try {
        const text =
          typeof value === "string" ? value : new TextDecoder("utf-8", { fatal: true }).decode(value);
        value = JSON.parse(text);
      } catch {
        return blocked("the body is declared JSON but does not parse");
      }
    }
    const redactions: Redaction[] = [];
    try {
      const body = applyRules(value, rules, pii, redactions);
      return { body, redactions, appliedRuleIds };
    } catch (err) {
      if (err instanceof JsonTooDeepError) return blocked("the body is nested too deeply to filter");
      throw err;
    }
  }
  if (typeof response.body !== "string" && !(response.body instanceof Uint8Array)) {
    return blocked(`a ${kind} body must be raw text or bytes`);
  }
  const stream = createLineFilter(kind, rules, pii, max);
  const first = stream.push(response.body);
  if (first.blocked) return blocked(first.reason ?? "the stream cannot be filtered");
  const last = stream.end();
  if (last.blocked) return blocked(last.reason ?? "the stream cannot be filtered");
  return {
    body: first.text + last.text,
    redactions: [...first.redactions, ...last.redactions],
    appliedRuleIds,
  };
}

/**
 * An incremental filter for a streamed response (SSE or NDJSON), or null when no response rule
 * applies (pass the stream through unchanged). Any other content type under a rule yields a filter
 * that blocks on the first chunk.
 */
export function createResponseStreamFilter(
  policy: unknown,
  request: FilterRequest,
  contentType: string | null | undefined,
  options: FilterOptions = {},
): StreamFilter | null {
  const compiled = tryCompilePolicy(policy);
  const blockedFilter = (reason: string): StreamFilter => {
    const r = () => ({
      text: "",
      redactions: [],
      blocked: { code: "RESPONSE_UNFILTERABLE" as const },
      reason,
    });
    return { push: r, end: r };
  };
  if (!compiled.ok) return blockedFilter("the policy document is invalid");
  const rules = applicableResponseRules(compiled.policy, request);
  if (rules.length === 0) return null;
  const kind = bodyKind(contentType);
  if (kind !== "ndjson" && kind !== "sse") {
    return blockedFilter(
      `a response rule applies but a ${mediaType(contentType) ?? "untyped"} stream cannot be filtered`,
    );
  }
  const max = compiled.policy.document.limits?.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return createLineFilter(kind, rules, { phoneRegion: options.phoneRegion }, max);
}
