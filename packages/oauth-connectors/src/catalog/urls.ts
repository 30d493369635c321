/** Hosts for which plain http is tolerated: local test servers only (the API's SSRF guard blocks them). */
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(["127.0.0.1", "[::1]", "localhost"]);

/** The only template variable allowed in endpoints (Microsoft's tenant path segment). */
export const TENANT_PLACEHOLDER = "{tenant}";

function parse(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * An endpoint is https, or http on a loopback host (tests and local dev); no credentials, no
 * fragment. `{tenant}` is checked with a sample tenant so templated endpoints are validated too.
 */
export function isEndpointUrl(value: string): boolean {
  const url = parse(value.replaceAll(TENANT_PLACEHOLDER, "common"));
  if (url === null) return false;
  if (url.username !== "" || url.password !== "" || url.hash !== "") return false;
  return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK_HOSTS.has(url.hostname));
}

/** Strictly https: what every built-in catalog URL must be. */
export function isHttpsUrl(value: string): boolean {
  return parse(value.replaceAll(TENANT_PLACEHOLDER, "common"))?.protocol === "https:";
}

/** `https://host[:port]` exactly as `URL.origin` prints it: no path, no trailing slash. */
export function isHttpsOrigin(value: string): boolean {
  const url = parse(value);
  return url !== null && url.protocol === "https:" && url.origin === value;
}

/** Origin of a URL, or null when it does not parse. */
export function originOf(value: string): string | null {
  return parse(value)?.origin ?? null;
}
