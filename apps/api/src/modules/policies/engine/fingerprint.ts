import { createHash } from "node:crypto";
import type { PolicyRequest } from "./types.js";
import { buildFinalUrl, sortedQueryHref, type UrlOptions, type UrlProblemCode } from "./url.js";

/**
 * Request fingerprint (POLICY.md §5): SHA-256 hex of the canonical JSON of
 * `{ method, url, contentType, body }`. An approval is redeemable only by a request with the same
 * fingerprint. Only the content type header takes part.
 */

/**
 * Canonical JSON: object keys sorted (UTF-16 code unit order), no whitespace, `undefined` members
 * dropped. Throws on values JSON cannot represent (non-finite numbers, bigint, functions).
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
    case "boolean":
      return JSON.stringify(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError("canonicalJson: non-finite number");
      return JSON.stringify(value);
    case "object": {
      if (Array.isArray(value))
        return `[${value.map((v) => (v === undefined ? "null" : canonicalJson(v))).join(",")}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj)
        .filter((k) => obj[k] !== undefined)
        .sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
    }
    default:
      throw new TypeError(`canonicalJson: cannot encode ${typeof value}`);
  }
}

/** Thrown when the request's URL cannot be built (same codes as `evaluateRequest`). */
export class RequestUrlError extends Error {
  constructor(
    readonly code: UrlProblemCode,
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "RequestUrlError";
  }
}

/** Values of a header, case-insensitively, in header-name order. */
export function headerValues(headers: PolicyRequest["headers"], name: string): string[] {
  if (!headers) return [];
  const out: string[] = [];
  for (const key of Object.keys(headers).sort()) {
    if (key.toLowerCase() !== name) continue;
    const v = headers[key];
    if (v === undefined) continue;
    if (typeof v === "string") out.push(v);
    else out.push(...v);
  }
  return out;
}

/** The media type without parameters, lower-case, or null. */
export function mediaType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const t = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return t === "" ? null : t;
}

/** The request body as it takes part in the fingerprint: canonical JSON, base64 bytes, or null. */
function bodyForm(
  request: PolicyRequest,
): { kind: "json"; text: string } | { kind: "raw"; base64: string } | null {
  if (request.body instanceof Uint8Array)
    return { kind: "raw", base64: Buffer.from(request.body).toString("base64") };
  if (request.body !== undefined) return { kind: "json", text: canonicalJson(request.body) };
  if (typeof request.bodyBase64 === "string") {
    return { kind: "raw", base64: Buffer.from(request.bodyBase64, "base64").toString("base64") };
  }
  return null;
}

/** The object that is hashed (exposed for tests and for the approval preview). */
export function fingerprintMaterial(request: PolicyRequest, options: UrlOptions = {}) {
  // Scheme gating is evaluateRequest's job; the fingerprint only needs the normal form.
  const built = buildFinalUrl(request.url, request.query, { allowHttp: true, ...options });
  if (!built.ok) throw new RequestUrlError(built.code, built.reason, built.hint);
  const body = bodyForm(request);
  const declared = headerValues(request.headers, "content-type");
  const contentType = mediaType(declared.join(",")) ?? (body?.kind === "json" ? "application/json" : null);
  return {
    method: (request.method ?? "").toUpperCase(),
    url: sortedQueryHref(built.url),
    contentType,
    body: body === null ? null : body.kind === "json" ? body.text : body.base64,
  };
}

/** SHA-256 hex of the canonical request (§5). Throws `RequestUrlError` for an invalid URL. */
export function requestFingerprint(request: PolicyRequest, options: UrlOptions = {}): string {
  return createHash("sha256")
    .update(canonicalJson(fingerprintMaterial(request, options)), "utf8")
    .digest("hex");
}
