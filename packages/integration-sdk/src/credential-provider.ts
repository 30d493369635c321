import { type AgentConnection, type AgentHiFiveClient, AgentHiFiveError } from "@agenthifive/sdk";
import type { CredentialFallback, ResolvedCredential } from "./types.js";

/** LLM providers the vault's transparent proxy fronts (API.md §3.10). */
export const VAULT_LLM_PROVIDERS = ["anthropic", "openai", "gemini", "openrouter"] as const;

/** `${apiUrl}/v1/vault/llm/${provider}`: the base URL an LLM SDK is pointed at. */
export function vaultLlmBaseUrl(apiUrl: string, provider: string) {
  return `${apiUrl.replace(/\/+$/, "")}/v1/vault/llm/${encodeURIComponent(provider)}`;
}

export interface VaultCredentialProviderOptions {
  /** Local sources tried in order when the vault holds no connection for the provider. */
  fallbacks?: CredentialFallback[] | undefined;
  /**
   * Also fall back when the vault cannot be asked (network, 5xx). Default false: fail closed, so
   * an unreachable vault never silently sends traffic around the policies.
   */
  fallbackOnVaultError?: boolean | undefined;
  /** How long the agent's connection list is reused. Default 60 s. */
  connectionsTtlMs?: number | undefined;
  /** Override the LLM provider table. */
  llmProviders?: readonly string[] | undefined;
}

/** Fallback reading keys from environment variables, e.g. `{ anthropic: "ANTHROPIC_API_KEY" }`. */
export function envFallback(
  variables: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env,
): CredentialFallback {
  return (provider) => {
    const name = variables[provider];
    const value = name ? env[name] : undefined;
    return value ? { apiKey: value } : undefined;
  };
}

/** Fallback from a fixed map (e.g. the runtime's own config). */
export function staticFallback(
  entries: Record<string, { apiKey: string; baseUrl?: string | undefined }>,
): CredentialFallback {
  return (provider) => entries[provider];
}

/**
 * Resolves the credential for a model or service call through the vault instead of local
 * configuration: for an LLM provider with a connection bound to this agent, the runtime gets the
 * vault's LLM proxy base URL and the agent's own short-lived access token (the provider key
 * never leaves the vault); otherwise the local fallback chain is tried in order.
 */
export class VaultCredentialProvider {
  #connections: { at: number; items: AgentConnection[] } | undefined;

  constructor(
    private readonly client: AgentHiFiveClient,
    private readonly apiUrl: string,
    private readonly options: VaultCredentialProviderOptions = {},
  ) {}

  /** The agent's active connections for `provider` (cached `connectionsTtlMs`). */
  async connectionsFor(provider: string, signal?: AbortSignal): Promise<AgentConnection[]> {
    const ttl = this.options.connectionsTtlMs ?? 60_000;
    if (!this.#connections || Date.now() - this.#connections.at > ttl) {
      const items: AgentConnection[] = [];
      let cursor: string | undefined;
      do {
        const page = await this.client.agent.connections({ limit: 200, cursor, signal });
        items.push(...page.items);
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      this.#connections = { at: Date.now(), items };
    }
    return this.#connections.items.filter((c) => c.provider === provider && c.status === "active");
  }

  /** Forget the cached connection list (e.g. after a permission was granted). */
  invalidate() {
    this.#connections = undefined;
  }

  /** The credential for an LLM provider, or undefined when neither the vault nor a fallback has one. */
  async resolve(provider: string, signal?: AbortSignal): Promise<ResolvedCredential | undefined> {
    const llm = this.options.llmProviders ?? VAULT_LLM_PROVIDERS;
    let vaultError: unknown;
    if (llm.includes(provider)) {
      try {
        const [connection] = await this.connectionsFor(provider, signal);
        if (connection) {
          return {
            source: "vault",
            provider,
            baseUrl: vaultLlmBaseUrl(this.apiUrl, provider),
            apiKey: await this.client.accessToken(signal),
            headers: { "x-ah5-connection-id": connection.connectionId },
            connectionId: connection.connectionId,
          };
        }
      } catch (error) {
        if (!this.options.fallbackOnVaultError || !isUnreachable(error)) throw error;
        vaultError = error;
      }
    }
    for (const fallback of this.options.fallbacks ?? []) {
      const found = await fallback(provider);
      if (found?.apiKey) return { ...found, source: "local", provider };
    }
    if (vaultError) throw vaultError;
    return undefined;
  }

  /**
   * A short-lived provider token for a Model A connection (API.md §3.9.1): the refresh token
   * stays in the vault; call again when `expiresAt` approaches.
   */
  async resolveServiceToken(
    connectionId: string,
    options: { scopes?: string[] | undefined; signal?: AbortSignal | undefined } = {},
  ): Promise<ResolvedCredential> {
    const answer = await this.client.vault.execute(
      { model: "A", connectionId, ...(options.scopes ? { scopes: options.scopes } : {}) },
      { signal: options.signal },
    );
    if (!("model" in answer) || answer.model !== "A") {
      throw new AgentHiFiveError({
        code: "INVALID_RESPONSE",
        status: 0,
        message: "The vault did not vend a Model A token for this connection.",
      });
    }
    return {
      source: "vault",
      provider: connectionId,
      apiKey: answer.accessToken,
      expiresAt: new Date(Date.now() + answer.expiresIn * 1000).toISOString(),
      connectionId,
    };
  }
}

function isUnreachable(error: unknown) {
  if (!(error instanceof AgentHiFiveError)) return false;
  return (error.status === 0 && error.code !== "ABORTED") || error.status >= 500;
}
