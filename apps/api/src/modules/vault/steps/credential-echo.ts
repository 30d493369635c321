/**
 * A provider may echo the credential it was sent: "Incorrect API key provided: sk-…", a bot
 * token inside a URL in an error, a request dump. The stored credential must never reach the
 * agent (ARCHITECTURE §6.1), so every form of it the vault sent is replaced in the answer —
 * body and headers, buffered or streamed — before anything else sees it.
 */
const REPLACEMENT_TEXT = "[REDACTED:credential]";
const REPLACEMENT = Buffer.from(REPLACEMENT_TEXT);
/** Shorter values are not credentials and would match ordinary text. */
const MIN_FORM_LENGTH = 8;

/** Every form of one credential, longest first, as bytes (bodies) and as text (headers, JSON). */
export interface CredentialForms {
  bytes: readonly Buffer[];
  texts: readonly string[];
}

/** Per stored credential (the connection cache keeps the same object): forms for the last injection. */
const memo = new WeakMap<object, { key: string; forms: CredentialForms }>();

/**
 * The strings that would reveal the credential: the secret and every header value the injection
 * set (`injectedHeaders`: only those; with and without its scheme, e.g. a Basic pair's base64), each as sent, URL encoded
 * (either hex case), JSON-escaped (with `\/` too) and base64 / base64url encoded. JSON escapes
 * that spell characters out (`\u0041`) are caught after parsing (`scrubJson`). Computed once per
 * credential and injection, not per call.
 */
export function credentialForms(
  secret: string,
  injectedHeaders: Record<string, string>,
  credential?: object,
): CredentialForms {
  const injected = Object.values(injectedHeaders);
  const key = `${secret}\n${injected.join("\n")}`;
  const hit = credential ? memo.get(credential) : undefined;
  if (hit && hit.key === key) return hit.forms;
  const raw = new Set<string>([secret]);
  for (const value of injected) {
    raw.add(value);
    const space = value.indexOf(" ");
    if (space > 0) raw.add(value.slice(space + 1));
  }
  const texts = new Set<string>();
  for (const value of raw) {
    if (value.length < MIN_FORM_LENGTH) continue;
    const encoded = encodeURIComponent(value);
    const escaped = JSON.stringify(value).slice(1, -1);
    for (const form of [
      value,
      encoded,
      encoded.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
      escaped,
      escaped.replaceAll("/", "\\/"),
      Buffer.from(value).toString("base64"),
      Buffer.from(value).toString("base64url"),
    ])
      texts.add(form);
  }
  const sorted = [...texts].sort((a, b) => b.length - a.length);
  const forms = { texts: sorted, bytes: sorted.map((t) => Buffer.from(t)) };
  if (credential) memo.set(credential, { key, forms });
  return forms;
}

/** The bytes with every form replaced, and how many replacements were made. */
export function scrubCredential(bytes: Buffer, forms: CredentialForms): { bytes: Buffer; echoes: number } {
  let out = bytes;
  let echoes = 0;
  for (const form of forms.bytes) {
    let at = out.indexOf(form);
    if (at === -1) continue;
    const parts: Buffer[] = [];
    let from = 0;
    while (at !== -1) {
      parts.push(out.subarray(from, at), REPLACEMENT);
      echoes++;
      from = at + form.length;
      at = out.indexOf(form, from);
    }
    parts.push(out.subarray(from));
    out = Buffer.concat(parts);
  }
  return { bytes: out, echoes };
}

/** A text with every form replaced. */
export function scrubText(text: string, forms: CredentialForms): string {
  let out = text;
  for (const t of forms.texts) if (out.includes(t)) out = out.split(t).join(REPLACEMENT_TEXT);
  return out;
}

/** Header names and values with every form replaced. */
export function scrubHeaders(
  headers: Record<string, string>,
  forms: CredentialForms,
): Record<string, string> {
  if (forms.texts.length === 0) return headers;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) out[scrubText(name, forms)] = scrubText(value, forms);
  return out;
}

/**
 * Parsed JSON with every form replaced in its strings and keys: catches escapes that spell the
 * credential out character by character, which only parsing reveals.
 */
export function scrubJson(value: unknown, forms: CredentialForms): { value: unknown; echoes: number } {
  let echoes = 0;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") {
      const clean = scrubText(v, forms);
      if (clean !== v) echoes++;
      return clean;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, inner] of Object.entries(v)) out[walk(k) as string] = walk(inner);
      return out;
    }
    return v;
  };
  const result = forms.texts.length ? walk(value) : value;
  return { value: result, echoes };
}

/**
 * The same for a stream: a form split across chunks is caught by holding back only the end of a
 * chunk that could begin a form (usually nothing, so events are not delayed).
 */
export function createCredentialScrubber(forms: CredentialForms) {
  let held: Buffer = Buffer.alloc(0);
  let echoes = 0;
  return {
    push(chunk: Buffer): Buffer {
      const joined = held.length ? Buffer.concat([held, chunk]) : chunk;
      const scrubbed = scrubCredential(joined, forms);
      echoes += scrubbed.echoes;
      const keep = possibleFormStart(scrubbed.bytes, forms.bytes);
      held = Buffer.from(scrubbed.bytes.subarray(scrubbed.bytes.length - keep));
      return scrubbed.bytes.subarray(0, scrubbed.bytes.length - keep);
    },
    end(): Buffer {
      const rest = held;
      held = Buffer.alloc(0);
      return rest;
    },
    get echoes() {
      return echoes;
    },
  };
}

/** Length of the longest end of `bytes` that is the beginning of some form. */
function possibleFormStart(bytes: Buffer, forms: readonly Buffer[]): number {
  let longest = 0;
  for (const form of forms) {
    const max = Math.min(form.length - 1, bytes.length);
    for (let n = max; n > longest; n--) {
      if (
        bytes[bytes.length - n] === form[0] &&
        bytes.subarray(bytes.length - n).equals(form.subarray(0, n))
      ) {
        longest = n;
        break;
      }
    }
  }
  return longest;
}
