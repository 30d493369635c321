import { createHash } from "node:crypto";
import { requestTarget } from "./request-target.js";

/** Field names whose values a person approving a request never needs to see. */
const SENSITIVE =
  /pass(word)?|secret|token|api[-_]?key|authori[sz]|auth(?!or)|cookie|session|otp|pin$|cvv|cvc|card[-_]?number|ssn/i;
const MAX_HEADERS = 30;
const MAX_STRING = 500;
const MAX_ITEMS = 20;
const MAX_DEPTH = 6;
const MAX_PREVIEW_BYTES = 8 * 1024;

function preview(value: unknown, depth: number): unknown {
  if (typeof value === "string") {
    return value.length > MAX_STRING
      ? `${value.slice(0, MAX_STRING)}… (+${value.length - MAX_STRING} chars)`
      : value;
  }
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return "[…]";
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((v) => preview(v, depth + 1));
    return value.length > MAX_ITEMS ? [...items, `… (+${value.length - MAX_ITEMS} items)`] : items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value))
    out[k] = SENSITIVE.test(k) ? "[REDACTED]" : preview(v, depth + 1);
  return out;
}

/** The body as a person can read it: parsed JSON, form fields or text by its declared type. */
function bodyPreviewOf(bytes: Buffer, contentType: string | undefined): unknown {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  let text: string | undefined;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { binaryBytes: bytes.length, ...(type ? { contentType: type } : {}) };
  }
  if (type === "application/x-www-form-urlencoded")
    return preview(Object.fromEntries(new URLSearchParams(text)), 0);
  try {
    // JSON whatever its label: a mislabelled body must not hide what it says from the approver.
    return preview(JSON.parse(text), 0);
  } catch {
    return preview(text, 0);
  }
}

/**
 * What a person sees before approving (API.md §3.11: "the exact request, with secrets and large
 * bodies safely summarised"): method, host, path, query with sensitive values hidden, the headers
 * the agent sends along (credential-like ones hidden), and a readable preview of the body — JSON,
 * form fields or text whatever the encoding the agent chose, credential-like fields redacted, long
 * strings and lists cut — plus the body's SHA-256, which the approval is bound to anyway.
 */
export function approvalSummary(
  url: string | undefined,
  method: string | undefined,
  body: unknown,
  bodyBase64?: string,
  headers?: Readonly<Record<string, string>>,
) {
  const u = url ? new URL(url) : undefined;
  const query: Record<string, string> = {};
  for (const [k, v] of u?.searchParams ?? []) {
    query[k] = SENSITIVE.test(k) ? "[REDACTED]" : v.length > 200 ? `${v.slice(0, 200)}…` : v;
  }
  const shownHeaders: Record<string, string> = {};
  const all = Object.entries(headers ?? {});
  for (const [k, v] of all.slice(0, MAX_HEADERS)) {
    const name = k.toLowerCase();
    shownHeaders[name] = SENSITIVE.test(name) ? "[REDACTED]" : v.length > 200 ? `${v.slice(0, 200)}…` : v;
  }
  if (all.length > MAX_HEADERS) shownHeaders["…"] = `+${all.length - MAX_HEADERS} more`;
  const contentType = Object.entries(headers ?? {}).find(([k]) => k.toLowerCase() === "content-type")?.[1];
  const raw =
    bodyBase64 !== undefined
      ? Buffer.from(bodyBase64, "base64")
      : body === undefined
        ? undefined
        : JSON.stringify(body);
  let bodyPreview: unknown;
  if (bodyBase64 !== undefined) bodyPreview = bodyPreviewOf(raw as Buffer, contentType);
  else if (body !== undefined) bodyPreview = preview(body, 0);
  if (bodyPreview !== undefined) {
    const text = JSON.stringify(bodyPreview);
    if (text.length > MAX_PREVIEW_BYTES) bodyPreview = `${text.slice(0, MAX_PREVIEW_BYTES)}… (truncated)`;
  }
  return {
    ...requestTarget(url, method),
    query,
    ...(Object.keys(shownHeaders).length ? { headers: shownHeaders } : {}),
    ...(bodyPreview !== undefined ? { bodyPreview } : {}),
    bodySha256: raw ? createHash("sha256").update(raw).digest("hex") : null,
  };
}
