import { domainToASCII } from "node:url";
import { type ParsedIp, parseHostAsIp } from "./ip.js";

/**
 * The authority of a request URL (POLICY.md §2): no userinfo; host lower-cased, trailing dot
 * removed, IDN converted to punycode, IP literals (any notation) in canonical form; default port
 * removed.
 */

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** Lower-case LDH name whose last label is not a number (WHATWG "ends in a number"), not punycode. */
function isPlainHost(host: string): boolean {
  if (!/^[a-z0-9_.-]+$/.test(host) || host.includes("xn--")) return false;
  const last = host.slice(host.lastIndexOf(".") + 1);
  return !/^(\d+|0x[0-9a-f]*)$/.test(last);
}

export type HostResult =
  | { ok: true; host: string; port: number | null; ip: ParsedIp | null }
  | { ok: false; reason: string; hint: string };

export function parseAuthority(authority: string, scheme: "https" | "http"): HostResult {
  const fail = (reason: string, hint: string): HostResult => ({ ok: false, reason, hint });
  if (authority.includes("@")) {
    return fail(
      "the URL contains userinfo (user:password@)",
      "remove the user:password@ part; credentials are injected by the vault",
    );
  }
  let hostPart: string;
  let portPart: string | null = null;
  if (authority.startsWith("[")) {
    const close = authority.indexOf("]");
    if (close < 0) return fail("unterminated IPv6 literal", "write IPv6 hosts as [address]");
    hostPart = authority.slice(0, close + 1);
    const rest = authority.slice(close + 1);
    if (rest !== "" && !rest.startsWith(":"))
      return fail("garbage after the IPv6 literal", "write host[:port]");
    if (rest.startsWith(":")) portPart = rest.slice(1);
  } else {
    const colon = authority.lastIndexOf(":");
    hostPart = colon >= 0 ? authority.slice(0, colon) : authority;
    if (colon >= 0) portPart = authority.slice(colon + 1);
  }
  let port: number | null = null;
  if (portPart !== null && portPart !== "") {
    if (!/^\d{1,5}$/.test(portPart) || Number(portPart) < 1 || Number(portPart) > 65535) {
      return fail(`invalid port "${portPart}"`, "use a port between 1 and 65535, or none");
    }
    port = Number(portPart);
    if ((scheme === "https" && port === 443) || (scheme === "http" && port === 80)) port = null;
  }
  if (hostPart === "")
    return fail("the URL has no host", "send an absolute URL such as https://api.example.com/path");
  if (hostPart.includes("%"))
    return fail("the host contains percent-encoding", "write the host name plainly");
  if (hostPart.startsWith("[")) {
    const ip = parseHostAsIp(hostPart);
    if (ip?.family !== 6)
      return fail("invalid IPv6 literal", "write IPv6 hosts as [address], without a zone id");
    return { ok: true, host: `[${ip.address}]`, port, ip };
  }
  let host = hostPart.toLowerCase();
  if (host.endsWith(".")) host = host.slice(0, -1);
  if (host === "" || host.endsWith(".")) return fail("invalid host name", "remove the trailing dots");
  const literal = parseHostAsIp(host);
  if (literal) return { ok: true, host: literal.address, port, ip: literal };
  // Plain LDH names skip the IDNA step; anything else (Unicode, xn--, a numeric last label) takes it.
  const ascii = isPlainHost(host) ? host : domainToASCII(host);
  if (ascii === "")
    return fail(`invalid host "${hostPart}"`, "send a valid DNS name or IP address as the host");
  const asciiIp = ascii === host ? null : parseHostAsIp(ascii);
  if (asciiIp?.family === 4) return { ok: true, host: asciiIp.address, port, ip: asciiIp };
  const labels = ascii.split(".");
  if (ascii.length > 253 || !labels.every((l) => LABEL.test(l))) {
    return fail(`invalid host "${hostPart}"`, "send a valid DNS name (letters, digits, hyphens) as the host");
  }
  return { ok: true, host: ascii, port, ip: null };
}

export function devAllowed(host: string, port: number | null, list: readonly string[] | undefined): boolean {
  if (!list || list.length === 0) return false;
  const withPort = port === null ? host : `${host}:${port}`;
  return list.some((h) => {
    const e = h.trim().toLowerCase();
    return e === host || e === withPort;
  });
}
