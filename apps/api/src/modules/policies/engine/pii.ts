import { PII_TYPES, type PiiType } from "@agenthifive/contracts";
import { parseIpv6 } from "./ip.js";

/**
 * PII recognizers of POLICY.md §4. Numbers with a checksum are redacted only when it validates
 * (Luhn for cards, mod-97 for IBANs); SSNs and NINOs follow their allocation rules.
 */

export interface PiiMatch {
  type: PiiType;
  start: number;
  end: number;
}

export interface PiiOptions {
  /** ISO 3166 region enabling national phone formats: "US"/"CA" (NANP) or any other (trunk 0). */
  phoneRegion?: string;
}

// ---------------------------------------------------------------------------------------------
// Checksums and allocation rules
// ---------------------------------------------------------------------------------------------

export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** IBAN lengths by country (SWIFT IBAN registry). */
const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24,
  AE: 23,
  AL: 28,
  AT: 20,
  AZ: 28,
  BA: 20,
  BE: 16,
  BG: 22,
  BH: 22,
  BI: 27,
  BR: 29,
  BY: 28,
  CH: 21,
  CR: 22,
  CY: 28,
  CZ: 24,
  DE: 22,
  DJ: 27,
  DK: 18,
  DO: 28,
  EE: 20,
  EG: 29,
  ES: 24,
  FI: 18,
  FK: 18,
  FO: 18,
  FR: 27,
  GB: 22,
  GE: 22,
  GI: 23,
  GL: 18,
  GR: 27,
  GT: 28,
  HR: 21,
  HU: 28,
  IE: 22,
  IL: 23,
  IQ: 23,
  IS: 26,
  IT: 27,
  JO: 30,
  KW: 30,
  KZ: 20,
  LB: 28,
  LC: 32,
  LI: 21,
  LT: 20,
  LU: 20,
  LV: 21,
  LY: 25,
  MC: 27,
  MD: 24,
  ME: 22,
  MK: 19,
  MN: 20,
  MR: 27,
  MT: 31,
  MU: 30,
  NI: 28,
  NL: 18,
  NO: 15,
  OM: 23,
  PK: 24,
  PL: 28,
  PS: 29,
  PT: 25,
  QA: 29,
  RO: 24,
  RS: 22,
  RU: 33,
  SA: 24,
  SC: 31,
  SD: 18,
  SE: 24,
  SI: 19,
  SK: 24,
  SM: 27,
  SO: 23,
  ST: 25,
  SV: 28,
  TL: 23,
  TN: 24,
  TR: 26,
  UA: 29,
  VA: 22,
  VG: 24,
  XK: 20,
  YE: 30,
};

/** Mod-97 check of a compact (no spaces) IBAN with a known country length. */
export function ibanValid(compact: string): boolean {
  const iban = compact.toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) return false;
  if (IBAN_LENGTHS[iban.slice(0, 2)] !== iban.length) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rem = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const v = code >= 65 ? code - 55 : code - 48;
    rem = v >= 10 ? (rem * 100 + v) % 97 : (rem * 10 + v) % 97;
  }
  return rem === 1;
}

/** US SSN allocation rules: area not 000/666/9xx, group not 00, serial not 0000. */
export function ssnValid(area: string, group: string, serial: string): boolean {
  return area !== "000" && area !== "666" && area[0] !== "9" && group !== "00" && serial !== "0000";
}

const NINO_BAD_FIRST = new Set("DFIQUV");
const NINO_BAD_SECOND = new Set("DFIOQUV");
const NINO_BAD_PREFIX = new Set(["BG", "GB", "KN", "NK", "NT", "TN", "ZZ"]);

/** UK National Insurance number prefix rules (HMRC). */
export function ninoPrefixValid(prefix: string): boolean {
  const p = prefix.toUpperCase();
  return !NINO_BAD_FIRST.has(p[0] ?? "") && !NINO_BAD_SECOND.has(p[1] ?? "") && !NINO_BAD_PREFIX.has(p);
}

// ---------------------------------------------------------------------------------------------
// Recognizers
// ---------------------------------------------------------------------------------------------

type Recognizer = (text: string, options: PiiOptions) => PiiMatch[];

const EMAIL_LOCAL = /[A-Za-z0-9._%+!#$&'*/=?^`{|}~-]/;
const EMAIL_LOCAL_FIRST = /[A-Za-z0-9_%+-]/;
const EMAIL_LOCAL_LAST = /[A-Za-z0-9_%+!#$&*/=?^`{|}~-]/;
const EMAIL_DOMAIN =
  /(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+(?:[A-Za-z]{2,63}|xn--[A-Za-z0-9-]{2,59})(?![A-Za-z0-9-])/y;
const MAX_LOCAL = 256;

/** Emails are found from each "@" outwards (linear time, unlike one regex over the text). */
const email: Recognizer = (text) => {
  const out: PiiMatch[] = [];
  let cursor = 0;
  for (let at = text.indexOf("@"); at >= 0; at = text.indexOf("@", at + 1)) {
    if (at < cursor) continue;
    let start = at;
    while (start > cursor && at - start < MAX_LOCAL && EMAIL_LOCAL.test(text[start - 1] ?? "")) start--;
    while (start < at && !EMAIL_LOCAL_FIRST.test(text[start] ?? "")) start++;
    if (start >= at || !EMAIL_LOCAL_LAST.test(text[at - 1] ?? "")) continue;
    EMAIL_DOMAIN.lastIndex = at + 1;
    const domain = EMAIL_DOMAIN.exec(text);
    if (!domain) continue;
    cursor = at + 1 + domain[0].length;
    out.push({ type: "email", start, end: cursor });
  }
  return out;
};

const E164 = /(?<![\w+])\+[1-9][\d ().-]{6,22}\d(?!\d)/g;
const NANP = /(?<![\w+])(?:1[ .-]?)?(?:\([2-9]\d{2}\)|[2-9]\d{2})[ .-]?[2-9]\d{2}[ .-]?\d{4}(?![\d])/g;
const TRUNK0 = /(?<![\w+])0\d(?:[ ./-]?\d){7,11}(?!\d)/g;

const phone: Recognizer = (text, options) => {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(E164)) {
    const digits = m[0].replace(/\D/g, "");
    if (digits.length >= 8 && digits.length <= 15 && !/ {2}|[ ().-]{3}|[.-]{2}/.test(m[0]))
      out.push(span("phone", m));
  }
  const region = options.phoneRegion?.toUpperCase();
  if (region) {
    for (const m of text.matchAll(region === "US" || region === "CA" ? NANP : TRUNK0))
      out.push(span("phone", m));
  }
  return out;
};

const DIGIT_RUN = /\d(?:[ -]?\d)*/g;

const creditCard: Recognizer = (text) => {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(DIGIT_RUN)) {
    const start = m.index;
    const before = text[start - 1] ?? "";
    const after = text.slice(start + m[0].length, start + m[0].length + 2);
    if (before === "." && /\d/.test(text[start - 2] ?? "")) continue; // fractional part of a decimal
    if (/^\.\d/.test(after)) continue; // integer part of a decimal
    // Groups separated by a space or dash; find Luhn-valid runs of whole groups (13–19 digits).
    const groups: { start: number; end: number; digits: string }[] = [];
    for (const g of m[0].matchAll(/\d+/g)) {
      groups.push({ start: start + g.index, end: start + g.index + g[0].length, digits: g[0] });
    }
    // At most 19 digits per candidate, so each start looks at a bounded number of groups.
    let i = 0;
    while (i < groups.length) {
      let found = -1;
      let digits = "";
      for (let j = i; j < groups.length; j++) {
        digits += groups[j]?.digits ?? "";
        if (digits.length > 19) break;
        if (digits.length >= 13 && luhnValid(digits)) found = j;
      }
      if (found >= 0) {
        out.push({ type: "credit_card", start: groups[i]?.start ?? 0, end: groups[found]?.end ?? 0 });
        i = found + 1;
      } else {
        i++;
      }
    }
  }
  return out;
};

const IBAN_CANDIDATE = /(?<![A-Za-z0-9])[A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30}/g;

const iban: Recognizer = (text) => {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(IBAN_CANDIDATE)) {
    const expected = IBAN_LENGTHS[m[0].slice(0, 2).toUpperCase()];
    if (expected === undefined) continue;
    // Take exactly `expected` alphanumerics from the start of the candidate.
    let count = 0;
    let end = 0;
    for (let k = 0; k < m[0].length && count < expected; k++) {
      if (m[0][k] !== " ") count++;
      end = k + 1;
    }
    if (count !== expected) continue;
    if (/[A-Za-z0-9]/.test(text[m.index + end] ?? "")) continue; // a longer token
    if (ibanValid(m[0].slice(0, end).replace(/ /g, "")))
      out.push({ type: "iban", start: m.index, end: m.index + end });
  }
  return out;
};

const SSN = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])/g;

const usSsn: Recognizer = (text) =>
  [...text.matchAll(SSN)]
    .filter((m) => ssnValid(m[1] ?? "", m[2] ?? "", m[3] ?? ""))
    .map((m) => span("us_ssn", m));

const NINO = /(?<![A-Za-z0-9])([A-Za-z]{2}) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?[A-Da-d](?![A-Za-z0-9])/g;

const ukNino: Recognizer = (text) =>
  [...text.matchAll(NINO)].filter((m) => ninoPrefixValid(m[1] ?? "")).map((m) => span("uk_nino", m));

const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?!\d|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![\w:])/g;

const ipAddress: Recognizer = (text) => {
  const out: PiiMatch[] = [];
  for (const m of text.matchAll(IPV4)) {
    if (m[0].split(".").every((o) => Number(o) <= 255)) out.push(span("ip_address", m));
  }
  for (const m of text.matchAll(IPV6)) {
    if (m[0].replace(/:/g, "") !== "" && parseIpv6(m[0])) out.push(span("ip_address", m));
  }
  return out;
};

function span(type: PiiType, m: RegExpMatchArray): PiiMatch {
  const start = m.index ?? 0;
  return { type, start, end: start + m[0].length };
}

const RECOGNIZERS: Readonly<Record<PiiType, Recognizer>> = {
  email,
  iban,
  credit_card: creditCard,
  us_ssn: usSsn,
  uk_nino: ukNino,
  phone,
  ip_address: ipAddress,
};

/** Priority when two matches start at the same place with the same length. */
const PRIORITY: readonly PiiType[] = [
  "email",
  "iban",
  "credit_card",
  "us_ssn",
  "uk_nino",
  "ip_address",
  "phone",
];

/** Non-overlapping PII matches in `text`, left to right (longer match first on ties). */
export function findPii(text: string, types: Iterable<PiiType>, options: PiiOptions = {}): PiiMatch[] {
  const all: PiiMatch[] = [];
  for (const t of types) all.push(...RECOGNIZERS[t](text, options));
  all.sort(
    (a, b) =>
      a.start - b.start ||
      b.end - b.start - (a.end - a.start) ||
      PRIORITY.indexOf(a.type) - PRIORITY.indexOf(b.type),
  );
  const out: PiiMatch[] = [];
  let cursor = 0;
  for (const m of all) {
    if (m.start >= cursor) {
      out.push(m);
      cursor = m.end;
    }
  }
  return out;
}

/** `text` with each detected value replaced by `[REDACTED:<type>]`, and what was found. */
export function redactText(
  text: string,
  types: Iterable<PiiType>,
  options: PiiOptions = {},
): { text: string; found: PiiType[] } {
  const matches = findPii(text, types, options);
  if (matches.length === 0) return { text, found: [] };
  let out = "";
  let cursor = 0;
  for (const m of matches) {
    out += `${text.slice(cursor, m.start)}[REDACTED:${m.type}]`;
    cursor = m.end;
  }
  return { text: out + text.slice(cursor), found: matches.map((m) => m.type) };
}

export const ALL_PII_TYPES: readonly PiiType[] = PII_TYPES;
