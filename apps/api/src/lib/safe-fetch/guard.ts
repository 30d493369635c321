import { promises as dnsPromises, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import { buildConnector } from "undici";
import { blockedRangeOf, parseHostAsIp } from "../../modules/policies/engine/index.js";
import { providerError, providerUnavailable, ssrfBlocked } from "./errors.js";

/**
 * The address checks of the fetch guard (POLICY.md §6, API.md S10), applied at two layers:
 * - up front, on every URL (request and each redirect target): scheme, IP literals, refused names;
 * - at the socket, in the connector of the shared undici Agent: the name is resolved ONCE through
 *   the injected resolver, every address is checked, and the socket connects only to the checked
 *   addresses (no second lookup, so no DNS-rebinding window). Pooled sockets were checked when
 *   they were opened.
 * Dev-allowed hosts (`VAULT_DEV_ALLOW_HOSTS`, exact `host` or `host:port`) skip both layers.
 */

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to all its addresses; the default is `dns.promises.lookup(all, verbatim)`. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const defaultResolver: Resolver = async (hostname) => {
  const addresses = await dnsPromises.lookup(hostname, { all: true, verbatim: true });
  return addresses.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Lower-case, without brackets and trailing dots; IP literals in canonical form. */
function canonicalHost(host: string): string {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  h = h.replace(/\.+$/, "");
  return parseHostAsIp(h)?.address ?? h;
}

const defaultPort = (protocol: string) => (protocol === "https:" ? "443" : "80");

/** `localhost`, `*.localhost`, `*.local`, `*.internal`: refused before any lookup. */
export function isRefusedName(hostname: string): boolean {
  const h = canonicalHost(hostname);
  return (
    h === "" ||
    h === "localhost" ||
    h === "local" ||
    h === "internal" ||
    h.endsWith(".localhost") ||
    h.endsWith(".local") ||
    h.endsWith(".internal")
  );
}

/** The exact hosts (`host` = any port, or `host:port`) exempt from https-only and address checks. */
export class DevAllowList {
  private readonly entries: { host: string; port: string | null }[];

  constructor(list: readonly string[] | undefined) {
    this.entries = (list ?? []).map((raw) => DevAllowList.parse(raw)).filter((e) => e !== null);
  }

  private static parse(raw: string): { host: string; port: string | null } | null {
    const entry = raw.trim().toLowerCase();
    if (entry === "") return null;
    let host = entry;
    let port: string | null = null;
    if (entry.startsWith("[")) {
      const close = entry.indexOf("]");
      const rest = close < 0 ? "" : entry.slice(close + 1);
      if (close < 0 || !/^(:\d{1,5})?$/.test(rest)) throw new Error(`Invalid dev allow host "${raw}".`);
      host = entry.slice(1, close);
      port = rest === "" ? null : rest.slice(1);
    } else if (entry.split(":").length === 2) {
      const [h = "", p = ""] = entry.split(":");
      if (!/^\d{1,5}$/.test(p)) throw new Error(`Invalid dev allow host "${raw}".`);
      host = h;
      port = p;
    }
    if (port !== null) port = String(Number(port));
    return { host: canonicalHost(host), port };
  }

  get size(): number {
    return this.entries.length;
  }

  /** `port` is the effective port ("" means the protocol's default). */
  matches(hostname: string, port: string, protocol: string): boolean {
    if (this.entries.length === 0) return false;
    const host = canonicalHost(hostname);
    const effective = port === "" ? defaultPort(protocol) : String(Number(port));
    return this.entries.some((e) => e.host === host && (e.port === null || e.port === effective));
  }

  matchesUrl(url: URL): boolean {
    return this.matches(url.hostname, url.port, url.protocol);
  }
}

/**
 * Up-front check of a URL (the request and every redirect target): https only (http only for
 * dev-allowed hosts), blocked IP literals in any notation, refused names. Names are checked again,
 * with their resolved addresses, when a socket is opened.
 */
export function assertUrlAllowed(url: URL, devAllow: DevAllowList): void {
  const dev = devAllow.matchesUrl(url);
  if (url.protocol !== "https:" && !(dev && url.protocol === "http:")) {
    throw ssrfBlocked(`Only https URLs may be called, not ${url.protocol}//${url.host}.`, {
      host: url.host,
      reason: "scheme",
    });
  }
  if (dev) return;
  assertHostAllowed(url.hostname);
}

/** IP literal → its range must not be blocked; name → must not be a refused name. */
function assertHostAllowed(hostname: string): void {
  const ip = parseHostAsIp(hostname);
  if (ip) {
    const range = blockedRangeOf(ip);
    if (range) {
      throw ssrfBlocked(`The host ${hostname} is in the blocked address range ${range}.`, {
        host: hostname,
        reason: "blocked_address",
        range,
      });
    }
    return;
  }
  if (isRefusedName(hostname)) {
    throw ssrfBlocked(`The host name ${hostname} is never reachable.`, {
      host: hostname,
      reason: "blocked_name",
    });
  }
}

/**
 * Resolves `hostname` once and checks every address: one blocked address refuses the whole
 * answer (an attacker's name may mix public and private answers). Returns the checked addresses
 * in canonical form, with the family of the parsed address (not the resolver's claim).
 */
export async function resolveChecked(hostname: string, resolve: Resolver): Promise<ResolvedAddress[]> {
  assertHostAllowed(hostname);
  const literal = parseHostAsIp(hostname);
  if (literal) return [{ address: literal.address, family: literal.family }];
  let answers: ResolvedAddress[];
  try {
    answers = await resolve(hostname);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === "ENOTFOUND" || code === "ENODATA") {
      throw providerError(`The host name ${hostname} does not resolve.`, {
        host: hostname,
        reason: "dns_not_found",
      });
    }
    throw providerUnavailable(`The host name ${hostname} could not be resolved.`, {
      host: hostname,
      reason: "dns_failed",
      ...(typeof code === "string" ? { cause: code } : {}),
    });
  }
  if (answers.length === 0) {
    throw providerError(`The host name ${hostname} does not resolve.`, {
      host: hostname,
      reason: "dns_not_found",
    });
  }
  const checked: ResolvedAddress[] = [];
  for (const answer of answers) {
    const ip = parseHostAsIp(answer.address);
    // Not an IP (a zone id, garbage) or in a blocked range: refuse the name, without echoing
    // the internal address.
    if (!ip || blockedRangeOf(ip) !== null) {
      throw ssrfBlocked(`The host name ${hostname} resolves to a blocked address.`, {
        host: hostname,
        reason: "blocked_resolved_address",
      });
    }
    checked.push({ address: ip.address, family: ip.family });
  }
  return checked;
}

/** A `net` / `tls` `lookup` that answers only with addresses that passed `resolveChecked`. */
export function createGuardedLookup(resolve: Resolver): LookupFunction {
  return (hostname, options, callback) => {
    resolveChecked(hostname, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === "IPv4" ? 4 : undefined;
        const family = options.family === 6 || options.family === "IPv6" ? 6 : wanted;
        const usable = family ? addresses.filter((a) => a.family === family) : addresses;
        const first = usable[0];
        if (!first) {
          const err: NodeJS.ErrnoException = new Error(`No IPv${family} address for ${hostname}.`);
          err.code = "ENOTFOUND";
          callback(err, "", 0);
          return;
        }
        if (options.all) {
          callback(
            null,
            usable.map((a): LookupAddress => ({ address: a.address, family: a.family })),
          );
        } else {
          callback(null, first.address, first.family);
        }
      },
      (err: NodeJS.ErrnoException) => callback(err, "", 0),
    );
  };
}

export interface ConnectorOptions {
  resolve: Resolver;
  devAllow: DevAllowList;
  connectTimeoutMs: number;
}

/**
 * The connector of the shared Agent. Dev-allowed `host:port` get a plain connector; everything
 * else is https only, IP literals are checked here (they never reach `lookup`), and names go
 * through the guarded lookup.
 */
export function createGuardedConnector(options: ConnectorOptions): buildConnector.connector {
  const guarded = buildConnector({
    timeout: options.connectTimeoutMs,
    lookup: createGuardedLookup(options.resolve),
  });
  const plain = options.devAllow.size > 0 ? buildConnector({ timeout: options.connectTimeoutMs }) : null;
  return (opts, callback) => {
    if (plain && options.devAllow.matches(opts.hostname, opts.port, opts.protocol)) {
      plain(opts, callback);
      return;
    }
    try {
      if (opts.protocol !== "https:") {
        throw ssrfBlocked(`Only https URLs may be called, not ${opts.protocol}//${opts.hostname}.`, {
          host: opts.hostname,
          reason: "scheme",
        });
      }
      assertHostAllowed(opts.hostname);
    } catch (err) {
      process.nextTick(() => callback(err as Error, null));
      return;
    }
    guarded(opts, callback);
  };
}
