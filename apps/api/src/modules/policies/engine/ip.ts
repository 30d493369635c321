/**
 * IP literals in every notation a URL host can carry (POLICY.md §3 step 4) and the blocked ranges
 * of §6. Shared with the fetch guard, which checks every resolved address with `isBlockedAddress`.
 */

export interface ParsedIp {
  readonly family: 4 | 6;
  /** 4 or 16 bytes, network order. Shared between callers: never write to it. */
  readonly bytes: Uint8Array;
  /** Canonical text: dotted quad, or RFC 5952 compressed lower-case IPv6 (no brackets). */
  address: string;
}

const MAX_IPV4_PARTS = 4;

function parseIpv4Part(part: string): number | null {
  if (part === "") return null;
  let value: number;
  if (/^0[xX][0-9a-fA-F]*$/.test(part)) {
    const hex = part.slice(2).replace(/^0+/, "");
    if (hex.length > 8) return null;
    value = hex === "" ? 0 : Number.parseInt(hex, 16);
  } else if (/^0[0-7]+$/.test(part)) {
    const oct = part.slice(1).replace(/^0+/, "");
    if (oct.length > 11) return null;
    value = oct === "" ? 0 : Number.parseInt(oct, 8);
  } else if (/^(0|[1-9][0-9]*)$/.test(part)) {
    if (part.length > 10) return null;
    value = Number.parseInt(part, 10);
  } else {
    return null;
  }
  return value;
}

/**
 * IPv4 in the WHATWG URL host notations: dotted, decimal (`2130706433`), octal (`0177.0.0.1`), hex
 * (`0x7f.1`), short forms (`127.1`), one trailing dot. Null when `host` is not such a literal.
 */
export function parseIpv4(host: string): Uint8Array | null {
  const parts = host.split(".");
  if (parts.length > 1 && parts[parts.length - 1] === "") parts.pop();
  if (parts.length === 0 || parts.length > MAX_IPV4_PARTS) return null;
  const numbers: number[] = [];
  for (const part of parts) {
    const n = parseIpv4Part(part);
    if (n === null) return null;
    numbers.push(n);
  }
  const last = numbers.pop() ?? 0;
  if (numbers.some((n) => n > 255)) return null;
  if (last >= 256 ** (MAX_IPV4_PARTS - numbers.length)) return null;
  let value = last;
  numbers.forEach((n, i) => {
    value += n * 256 ** (3 - i);
  });
  return new Uint8Array([(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255]);
}

/** Strict dotted quad (as embedded in IPv6 text): four decimal octets. */
function parseDottedQuad(s: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(m[i + 1]);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

/** IPv6 text (RFC 4291, `::` compression, trailing dotted IPv4). Zone ids are refused. */
export function parseIpv6(text: string): Uint8Array | null {
  if (text.length > 64 || !/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const toGroups = (s: string, allowV4: boolean): number[] | null => {
    if (s === "") return [];
    const items = s.split(":");
    const groups: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i] ?? "";
      if (allowV4 && i === items.length - 1 && item.includes(".")) {
        const v4 = parseDottedQuad(item);
        if (!v4) return null;
        groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else if (/^[0-9a-fA-F]{1,4}$/.test(item)) {
        groups.push(Number.parseInt(item, 16));
      } else {
        return null;
      }
    }
    return groups;
  };
  let groups: number[];
  if (halves.length === 2) {
    const head = toGroups(halves[0] ?? "", false);
    const tail = toGroups(halves[1] ?? "", true);
    if (!head || !tail || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = toGroups(text, true);
    if (all?.length !== 8) return null;
    groups = all;
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[2 * i] = g >> 8;
    bytes[2 * i + 1] = g & 255;
  });
  return bytes;
}

/** RFC 5952 text of 16 bytes (lower case, longest run of ≥ 2 zero groups compressed). */
export function formatIpv6(bytes: Uint8Array): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((bytes[2 * i] ?? 0) << 8) | (bytes[2 * i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLen).join(":")}`;
}

const IP_CHARS = /^\s*\[?[0-9a-fA-FxX.:]+\]?\s*$/;

/**
 * The host as an IP literal in any notation (`[::1]`, `::ffff:127.0.0.1`, `0x7f.1`, `2130706433`,
 * …), or null when it is a name. Brackets are optional for IPv6.
 */
export function parseHostAsIp(host: string): ParsedIp | null {
  if (!IP_CHARS.test(host)) return null;
  const known = parsedHosts.get(host);
  if (known !== undefined) return known;
  const parsed = parseIpLiteral(host);
  // The same few hosts come back on every call: remember them (bounded; results are read-only).
  if (parsedHosts.size >= MAX_REMEMBERED_HOSTS) parsedHosts.clear();
  parsedHosts.set(host, parsed);
  return parsed;
}

const MAX_REMEMBERED_HOSTS = 1024;
const parsedHosts = new Map<string, ParsedIp | null>();

function parseIpLiteral(host: string): ParsedIp | null {
  let h = host.trim();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h.includes(":")) {
    const bytes = parseIpv6(h);
    return bytes ? { family: 6, bytes, address: formatIpv6(bytes) } : null;
  }
  const bytes = parseIpv4(h);
  return bytes ? { family: 4, bytes, address: Array.from(bytes).join(".") } : null;
}

// ---------------------------------------------------------------------------------------------
// Blocked ranges (§6)
// ---------------------------------------------------------------------------------------------

interface Range {
  bytes: number[];
  prefix: number;
  name: string;
}

const V4_BLOCKED: Range[] = [
  { bytes: [0, 0, 0, 0], prefix: 8, name: "0.0.0.0/8 (this network)" },
  { bytes: [10, 0, 0, 0], prefix: 8, name: "10.0.0.0/8 (private)" },
  { bytes: [100, 64, 0, 0], prefix: 10, name: "100.64.0.0/10 (carrier-grade NAT)" },
  { bytes: [127, 0, 0, 0], prefix: 8, name: "127.0.0.0/8 (loopback)" },
  { bytes: [169, 254, 0, 0], prefix: 16, name: "169.254.0.0/16 (link-local, cloud metadata)" },
  { bytes: [172, 16, 0, 0], prefix: 12, name: "172.16.0.0/12 (private)" },
  { bytes: [192, 0, 0, 0], prefix: 24, name: "192.0.0.0/24 (IETF protocol assignments)" },
  { bytes: [192, 0, 2, 0], prefix: 24, name: "192.0.2.0/24 (documentation)" },
  { bytes: [192, 88, 99, 0], prefix: 24, name: "192.88.99.0/24 (6to4 relay anycast)" },
  { bytes: [192, 168, 0, 0], prefix: 16, name: "192.168.0.0/16 (private)" },
  { bytes: [198, 18, 0, 0], prefix: 15, name: "198.18.0.0/15 (benchmarking)" },
  { bytes: [198, 51, 100, 0], prefix: 24, name: "198.51.100.0/24 (documentation)" },
  { bytes: [203, 0, 113, 0], prefix: 24, name: "203.0.113.0/24 (documentation)" },
  { bytes: [224, 0, 0, 0], prefix: 4, name: "224.0.0.0/4 (multicast)" },
  { bytes: [240, 0, 0, 0], prefix: 4, name: "240.0.0.0/4 (reserved)" },
  { bytes: [255, 255, 255, 255], prefix: 32, name: "255.255.255.255 (broadcast)" },
];

const v6 = (text: string) => Array.from(parseIpv6(text) ?? new Uint8Array(16));

const V6_BLOCKED: Range[] = [
  // ::/96 covers ::/128 and ::1/128 of §6 and the deprecated IPv4-compatible form (::a.b.c.d).
  { bytes: v6("::"), prefix: 96, name: "::/96 (unspecified, loopback, IPv4-compatible)" },
  { bytes: v6("64:ff9b:1::"), prefix: 48, name: "64:ff9b:1::/48 (local-use NAT64)" },
  { bytes: v6("100::"), prefix: 64, name: "100::/64 (discard)" },
  { bytes: v6("2001::"), prefix: 23, name: "2001::/23 (IETF protocol assignments)" },
  { bytes: v6("2001:db8::"), prefix: 32, name: "2001:db8::/32 (documentation)" },
  { bytes: v6("fc00::"), prefix: 7, name: "fc00::/7 (unique local)" },
  { bytes: v6("fe80::"), prefix: 10, name: "fe80::/10 (link-local)" },
  { bytes: v6("ff00::"), prefix: 8, name: "ff00::/8 (multicast)" },
];

/** Prefixes whose last 32 bits are an IPv4 address that is checked as such. */
const V6_EMBEDDING_V4: Range[] = [
  { bytes: v6("::ffff:0:0"), prefix: 96, name: "IPv4-mapped" },
  { bytes: v6("64:ff9b::"), prefix: 96, name: "NAT64" },
];

function inRange(bytes: Uint8Array, range: Range): boolean {
  const full = Math.floor(range.prefix / 8);
  for (let i = 0; i < full; i++) if (bytes[i] !== range.bytes[i]) return false;
  const rest = range.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((bytes[full] ?? 0) & mask) === ((range.bytes[full] ?? 0) & mask);
}

/**
 * The blocked range `ip` falls in (a short description), or null when it is a public address.
 * Anything that is not an IP literal is reported as blocked: fail closed.
 */
export function blockedRangeOf(ip: string | ParsedIp): string | null {
  const parsed = typeof ip === "string" ? parseHostAsIp(ip) : ip;
  if (!parsed) return "not an IP address";
  if (parsed.family === 4) return V4_BLOCKED.find((r) => inRange(parsed.bytes, r))?.name ?? null;
  for (const range of V6_EMBEDDING_V4) {
    if (inRange(parsed.bytes, range)) {
      const inner = blockedRangeOf({ family: 4, bytes: parsed.bytes.slice(12), address: "" });
      return inner ? `${range.name} ${inner}` : null;
    }
  }
  return V6_BLOCKED.find((r) => inRange(parsed.bytes, r))?.name ?? null;
}

/** True when `ip` (any notation) is in a blocked range of POLICY.md §6, or is not an IP at all. */
export function isBlockedAddress(ip: string | ParsedIp): boolean {
  return blockedRangeOf(ip) !== null;
}
