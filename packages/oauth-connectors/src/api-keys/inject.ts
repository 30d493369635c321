import { getProvider } from "../catalog/index.js";
import type { ProviderDefinition } from "../catalog/schema.js";
import { isHttpsOrigin } from "../catalog/urls.js";
import { connectorError } from "../error-mapping.js";

/** A stored key or token and the non-secret values entered with it (`extra`). */
export interface ApiCredential {
  secret: string;
  extra?: Readonly<Record<string, string>>;
}

export interface ProviderRequest {
  url: string | URL;
  headers?: Readonly<Record<string, string>> | Headers;
}

export interface InjectedRequest {
  url: string;
  /** Lower-case names; the credential header replaces any header of the same name. */
  headers: Record<string, string>;
}

// Secrets and template values end up in a header or a path: refuse anything that could split,
// quote or re-route them, with a fixed message (Headers would echo the bad value in its own).
const HEADER_SAFE = /^[\x21-\x7E]+$/;
const TEMPLATE_SAFE = /^[\x20\x21\x23-\x7E]+$/;
const PATH_SAFE = /^[A-Za-z0-9:_.~-]+$/;
const HEADER_NAME = /^[a-z0-9-]{1,64}$/;
const FORBIDDEN_HEADERS = new Set(["host", "cookie", "content-length", "transfer-encoding", "connection"]);
const SCHEME = /^[A-Za-z][A-Za-z0-9-]{0,31}$/;

/** The built-in provider with this id, or the definition itself. */
export function resolveProvider(provider: ProviderDefinition | string): ProviderDefinition {
  const found = typeof provider === "string" ? getProvider(provider) : provider;
  if (!found) throw new TypeError("unknown provider id");
  return found;
}

/** Origins a credential of this provider may be sent to. */
export function allowedOrigins(
  provider: ProviderDefinition,
  extra?: Readonly<Record<string, string>>,
): Set<string> {
  if (provider.customOrigin) {
    const origin = extra?.origin;
    return new Set(origin !== undefined && isHttpsOrigin(origin) ? [origin] : []);
  }
  return new Set(provider.services.flatMap((service) => service.apiOrigins));
}

/**
 * Returns the URL and headers to send to the provider with the credential in place, as the
 * catalog's injection says. Refuses (ERR_ORIGIN_NOT_ALLOWED) any URL outside the provider's own
 * origins, so a key can only ever reach the API it belongs to. Pure: no I/O, no logging.
 */
export function injectCredential(
  request: ProviderRequest,
  provider: ProviderDefinition | string,
  credential: ApiCredential,
): InjectedRequest {
  const definition = resolveProvider(provider);
  const url = new URL(request.url);
  if (
    url.username !== "" ||
    url.password !== "" ||
    !allowedOrigins(definition, credential.extra).has(url.origin)
  ) {
    throw connectorError("ERR_ORIGIN_NOT_ALLOWED", "inject");
  }
  const headers = new Headers(request.headers);
  const { injection } = definition;
  const { secret } = credential;
  if (injection.in === "path") {
    if (typeof secret !== "string" || !PATH_SAFE.test(secret))
      throw new TypeError("credential is not path-safe");
    url.pathname = `${injection.prefix.replace("{secret}", secret)}${url.pathname}`;
  } else {
    if (typeof secret !== "string" || !HEADER_SAFE.test(secret)) {
      throw new TypeError("credential contains characters not allowed in a header");
    }
    const extra = credential.extra ?? {};
    const name = injection.configurable && extra.headerName ? extra.headerName.toLowerCase() : injection.name;
    if (!HEADER_NAME.test(name) || FORBIDDEN_HEADERS.has(name))
      throw new TypeError("header name not allowed");
    const scheme = injection.configurable && extra.scheme !== undefined ? extra.scheme : injection.scheme;
    if (scheme !== undefined && scheme !== "" && !SCHEME.test(scheme))
      throw new TypeError("scheme not allowed");
    let value: string;
    if (injection.template !== undefined) value = fillTemplate(injection.template, secret, extra);
    else value = scheme ? `${scheme} ${secret}` : secret;
    headers.set(name, value);
  }
  return { url: url.toString(), headers: Object.fromEntries(headers) };
}

function fillTemplate(template: string, secret: string, extra: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    if (name === "secret") return secret;
    const value = name.startsWith("extra.") ? extra[name.slice("extra.".length)] : undefined;
    if (value === undefined || !TEMPLATE_SAFE.test(value)) throw new TypeError(`missing or unsafe ${name}`);
    return value;
  });
}
