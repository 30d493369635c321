import * as oauth from "oauth4webapi";
import type { OAuthConfig, ProviderDefinition } from "../catalog/schema.js";
import { TENANT_PLACEHOLDER } from "../catalog/urls.js";
import { connectorError, toConnectorError } from "../error-mapping.js";
import type { HttpOptions } from "../fetch.js";

const TENANT = /^[A-Za-z0-9.-]{1,64}$/;

/**
 * Static catalog endpoints as oauth4webapi metadata. Without a declared issuer the RFC 9207
 * `iss` parameter cannot be checked (the connector drops it, see connector.ts); such providers
 * rely on the other mix-up defence RFC 9207 §2.4 names: a distinct redirect URI per provider,
 * which `/v1/oauth/{provider}/callback` gives.
 */
export function staticMetadata(
  provider: ProviderDefinition,
  tenantId: string | undefined,
): oauth.AuthorizationServer {
  const oauthConfig = provider.oauth;
  const endpoints = oauthConfig?.endpoints;
  if (!oauthConfig || !endpoints) throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", "discovery");
  const tenant = tenantId ?? oauthConfig.tenant?.default;
  if (oauthConfig.tenant && (tenant === undefined || !TENANT.test(tenant))) {
    throw connectorError("ERR_PROVIDER_MISCONFIGURED", "discovery", { reason: "the tenant id is not valid" });
  }
  const fill = (url: string | undefined) =>
    url === undefined || tenant === undefined ? url : url.replaceAll(TENANT_PLACEHOLDER, tenant);
  const metadata: Record<string, string | undefined> = {
    issuer:
      fill(endpoints.issuer) ?? new URL(endpoints.token.replaceAll(TENANT_PLACEHOLDER, "common")).origin,
    token_endpoint: fill(endpoints.token),
    authorization_endpoint: fill(endpoints.authorization),
    revocation_endpoint: fill(endpoints.revocation),
    device_authorization_endpoint: fill(endpoints.deviceAuthorization),
    userinfo_endpoint: fill(endpoints.userinfo),
  };
  for (const [key, value] of Object.entries(metadata)) if (value === undefined) delete metadata[key];
  return metadata as oauth.AuthorizationServer;
}

/** OIDC Discovery or RFC 8414, validated by oauth4webapi (the issuer must match exactly). */
export async function discoverMetadata(
  discovery: NonNullable<OAuthConfig["discovery"]>,
  http: HttpOptions,
): Promise<oauth.AuthorizationServer> {
  try {
    const issuer = new URL(discovery.issuer);
    const response = await oauth.discoveryRequest(issuer, { algorithm: discovery.algorithm, ...http });
    return await oauth.processDiscoveryResponse(issuer, response);
  } catch (error) {
    throw toConnectorError(error, "discovery");
  }
}
