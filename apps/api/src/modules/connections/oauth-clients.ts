import {
  createOAuthConnector,
  type FetchLike,
  getProvider,
  listProviders,
  type OAuthClientConfig,
  type OAuthConnector,
  type ProviderDefinition,
} from "@agenthifive/oauth-connectors";
import { DevAllowList } from "../../lib/safe-fetch/guard.js";

/** `google` → `OAUTH_GOOGLE`; `acme-sso` → `OAUTH_ACME_SSO`. */
const envPrefix = (providerId: string) => `OAUTH_${providerId.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

const oauthProviderIds = () =>
  listProviders()
    .filter((p) => p.authTypes.includes("oauth") || p.authTypes.includes("device"))
    .map((p) => p.id);

/**
 * The platform OAuth apps from `OAUTH_<PROVIDER>_CLIENT_ID` / `_CLIENT_SECRET` (API.md §3.3), by
 * catalog provider id; used when a workspace brings no app of its own.
 */
export function platformOAuthClients(
  env: Readonly<Record<string, unknown>>,
): Record<string, OAuthClientConfig> {
  const out: Record<string, OAuthClientConfig> = {};
  for (const id of oauthProviderIds()) {
    const clientId = env[`${envPrefix(id)}_CLIENT_ID`];
    const clientSecret = env[`${envPrefix(id)}_CLIENT_SECRET`];
    if (typeof clientId === "string" && clientId !== "") {
      out[id] = {
        clientId,
        ...(typeof clientSecret === "string" && clientSecret !== "" ? { clientSecret } : {}),
      };
    }
  }
  return out;
}

/** A provider defined at runtime (tests: `defineOidcProvider`) with its OAuth client. */
export interface ExtraOAuthProvider {
  provider: ProviderDefinition;
  /** The platform app; absent = only workspaces' own apps (API.md §3.3) can connect it. */
  client?: OAuthClientConfig;
}

/** A workspace's own OAuth client (API.md §3.3), decrypted for the connector only. */
export interface WorkspaceOAuthClient {
  id: string;
  version: number;
  clientId: string;
  clientSecret: string;
  tenantId: string | null;
}

export interface OAuthClientResolverOptions {
  platformClients: Record<string, OAuthClientConfig>;
  extraProviders?: readonly ExtraOAuthProvider[];
  devAllowHosts: readonly string[];
  /** The API's public URL: the callback is `${apiPublicUrl}/v1/oauth/${provider}/callback`. */
  apiPublicUrl: string;
  /** The SSRF-guarded fetch every provider call goes through. */
  fetch: FetchLike;
  now: () => number;
  /** Loads a workspace's own app (late-bound: the app service is built after the resolver). */
  loadWorkspaceApp?: (workspaceId: string, appId: string) => Promise<WorkspaceOAuthClient | undefined>;
}

/**
 * Resolves a provider id to its definition and OAuth client, and builds (once per provider) the
 * connector that talks to it: the platform app from config, test-registered providers, and a
 * workspace's own app (§3.3) when the connection or flow names one.
 */
export function createOAuthClientResolver(options: OAuthClientResolverOptions) {
  const extra = new Map((options.extraProviders ?? []).map((e) => [e.provider.id, e]));
  const devAllow = new DevAllowList(options.devAllowHosts);
  const connectors = new Map<string, OAuthConnector>();

  function provider(id: string): ProviderDefinition | undefined {
    const found = extra.get(id)?.provider ?? getProvider(id);
    return found?.oauth && found.authTypes.includes("oauth") ? found : undefined;
  }

  function client(id: string): OAuthClientConfig | undefined {
    return extra.get(id)?.client ?? options.platformClients[id];
  }

  /** http is only ever allowed for an issuer on a dev-allowed host (tests, local development). */
  function insecureAllowed(def: ProviderDefinition): boolean {
    const issuer = def.oauth?.discovery?.issuer;
    if (!issuer) return false;
    const url = new URL(issuer);
    return url.protocol === "http:" && devAllow.matchesUrl(url);
  }

  function build(id: string, def: ProviderDefinition, cfg: OAuthClientConfig): OAuthConnector {
    return createOAuthConnector({
      provider: def,
      client: cfg,
      redirectUri: `${options.apiPublicUrl}/v1/oauth/${encodeURIComponent(id)}/callback`,
      fetch: options.fetch,
      allowInsecureHttp: insecureAllowed(def),
      now: options.now,
    });
  }

  const api = {
    provider,
    /** Providers with a platform app configured (the dashboard offers these without BYO). */
    platformProviderIds: () =>
      [...new Set([...Object.keys(options.platformClients), ...extra.keys()])].filter(
        (id) => provider(id) && client(id),
      ),
    /**
     * The connector for a connection or flow: its workspace app when it names one (cached per
     * app version, so a rotated secret takes effect at once), else the platform app.
     */
    async connectorFor(
      id: string,
      owner: { workspaceId: string; oauthAppId: string | null },
    ): Promise<OAuthConnector | undefined> {
      if (!owner.oauthAppId) return api.connector(id);
      const def = provider(id);
      const app = await options.loadWorkspaceApp?.(owner.workspaceId, owner.oauthAppId);
      if (!def || !app) return undefined;
      const key = `app:${app.id}:${app.version}`;
      const cached = connectors.get(key);
      if (cached) return cached;
      const connector = build(id, def, {
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        ...(app.tenantId ? { tenantId: app.tenantId } : {}),
      });
      connectors.set(key, connector);
      return connector;
    },
    isConfigured: (id: string) => provider(id) !== undefined && client(id) !== undefined,
    redirectUri: (id: string) => `${options.apiPublicUrl}/v1/oauth/${encodeURIComponent(id)}/callback`,
    /** The connector for a configured provider, or undefined. */
    connector(id: string): OAuthConnector | undefined {
      const cached = connectors.get(id);
      if (cached) return cached;
      const def = provider(id);
      const cfg = client(id);
      if (!def || !cfg) return undefined;
      const connector = build(id, def, cfg);
      connectors.set(id, connector);
      return connector;
    },
  };
  return api;
}
export type OAuthClientResolver = ReturnType<typeof createOAuthClientResolver>;
