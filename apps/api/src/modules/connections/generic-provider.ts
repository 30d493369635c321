import { defineOidcProvider } from "@agenthifive/oauth-connectors";
import type { Config } from "../../config/config.js";
import type { ExtraOAuthProvider } from "./oauth-clients.js";

/** The provider id of the OIDC/OAuth 2 server an operator configures by issuer URL. */
export const GENERIC_PROVIDER_ID = "generic";

/**
 * The platform-level generic OIDC provider from `OAUTH_GENERIC_*` (a company Keycloak, Okta,
 * Auth0…), or undefined when not configured. A bad origin list fails at start, naming the
 * variable, like every other configuration problem.
 */
export function genericProviderFromConfig(config: Config): ExtraOAuthProvider | undefined {
  if (!config.OAUTH_GENERIC_ISSUER || !config.OAUTH_GENERIC_CLIENT_ID) return undefined;
  let provider: ExtraOAuthProvider["provider"];
  try {
    provider = defineOidcProvider({
      id: GENERIC_PROVIDER_ID,
      label: config.OAUTH_GENERIC_LABEL,
      issuer: config.OAUTH_GENERIC_ISSUER,
      apiOrigins: config.OAUTH_GENERIC_API_ORIGINS,
      ...(config.OAUTH_GENERIC_SCOPES.length > 0 ? { defaultScopes: config.OAUTH_GENERIC_SCOPES } : {}),
      baseScopes: ["openid", "offline_access", "email", "profile"],
      clientAuth: config.OAUTH_GENERIC_CLIENT_SECRET ? "client_secret_basic" : "none",
    });
  } catch {
    throw new Error(
      "Invalid configuration: OAUTH_GENERIC_API_ORIGINS must list https origins (scheme://host[:port])",
    );
  }
  return {
    provider,
    client: {
      clientId: config.OAUTH_GENERIC_CLIENT_ID,
      ...(config.OAUTH_GENERIC_CLIENT_SECRET ? { clientSecret: config.OAUTH_GENERIC_CLIENT_SECRET } : {}),
    },
  };
}
