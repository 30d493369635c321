/**
 * Percent-encoding of URL components (POLICY.md §2): one normal form for paths and queries, so
 * that equal URLs compare equal, and the refusal of encoded separators and control characters.
 */

const HEX = "0123456789ABCDEF";

export function isUnreserved(b: number): boolean {
  return (
    (b >= 0x41 && b <= 0x5a) ||
    (b >= 0x61 && b <= 0x7a) ||
    (b >= 0x30 && b <= 0x39) ||
    b === 0x2d ||
    b === 0x2e ||
    b === 0x5f ||
    b === 0x7e
  );
}

const PATH_ENCODE = new Set([" ", '"', "#", "<", ">", "?", "`", "{", "}"]);
const QUERY_ENCODE = new Set([" ", '"', "#", "<", ">", "'"]);

export type Component = { ok: true; value: string } | { ok: false; reason: string; hint: string };

/**
 * Normalises one path segment or query component: percent-encoded unreserved characters are
 * decoded, other escapes upper-cased, characters that may not appear raw are UTF-8 encoded.
 * In a path, `%2F`, `%5C` and encoded control characters are refused.
 */
const PATH_PLAIN = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]*$/;
const QUERY_PLAIN = /^[A-Za-z0-9\-._~!$&()*+,;=:@/?]*$/;

export function normaliseComponent(raw: string, kind: "path" | "query"): Component {
  if ((kind === "path" ? PATH_PLAIN : QUERY_PLAIN).test(raw)) return { ok: true, value: raw };
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? "";
    if (ch === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) {
        return { ok: false, reason: "malformed percent-encoding", hint: 'encode a literal "%" as %25' };
      }
      const b = Number.parseInt(hex, 16);
      if (kind === "path") {
        if (b === 0x2f)
          return {
            ok: false,
            reason: "the path contains %2F",
            hint: "use real path segments; an encoded slash is refused",
          };
        if (b === 0x5c)
          return { ok: false, reason: "the path contains %5C", hint: "remove the encoded backslash" };
        if (b < 0x20 || b === 0x7f) {
          return {
            ok: false,
            reason: `the path contains an encoded control character (%${hex.toUpperCase()})`,
            hint: "remove control characters from the path",
          };
        }
      }
      out += isUnreserved(b) ? String.fromCharCode(b) : `%${hex.toUpperCase()}`;
      i += 2;
      continue;
    }
    const code = ch.charCodeAt(0);
    const encodeSet = kind === "path" ? PATH_ENCODE : QUERY_ENCODE;
    if (code > 0x7e || encodeSet.has(ch)) {
      let chars = ch;
      if (code >= 0xd800 && code <= 0xdbff) {
        chars += raw[i + 1] ?? "";
        i++;
      }
      for (const b of Buffer.from(chars, "utf8")) out += `%${HEX[b >> 4]}${HEX[b & 15]}`;
      continue;
    }
    out += ch;
  }
  return { ok: true, value: out };
}

/** Decodes percent-escapes (UTF-8; invalid sequences become U+FFFD); `+` as space when asked. */
export function percentDecode(encoded: string, plusAsSpace = false): string {
  const s = plusAsSpace ? encoded.replace(/\+/g, " ") : encoded;
  if (!s.includes("%")) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const ch = s[i] ?? "";
    const hex = s.slice(i + 1, i + 3);
    if (ch === "%" && /^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

export function isDotSegment(segment: string): boolean {
  let s = segment;
  for (let round = 0; round < 3; round++) {
    if (s === "." || s === "..") return true;
    const next = percentDecode(s);
    if (next === s) break;
    s = next;
  }
  return s === "." || s === "..";
}

/** Encodes a query name or value given as plain text (the normalised form of §2). */
export function encodeQueryText(text: string): string {
  return encodeURIComponent(text).replace(/'/g, "%27");
}
