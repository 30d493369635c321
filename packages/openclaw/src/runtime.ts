import {
  ApprovalWatcher,
  describeConnections,
  formatConnections,
  startTokenRenewal,
  VaultActionProxy,
  VaultCredentialProvider,
} from "@agenthifive/integration-sdk";
import { AgentHiFiveClient } from "@agenthifive/sdk";
import type { PluginConfig } from "./config.js";

/**
 * Everything the tools share, created lazily on first use so that registering the plugin never
 * touches the network or the key file. Holds no provider secret: only the SDK's cached agent token.
 */
export class VaultRuntime {
  readonly client: AgentHiFiveClient;
  readonly proxy: VaultActionProxy;
  readonly watcher: ApprovalWatcher;
  readonly credentials: VaultCredentialProvider;
  /** Connections the model asked to stop using in this gateway's lifetime. */
  readonly blocked = new Set<string>();
  #context: { at: number; text: string } | undefined;
  #renewal: ReturnType<typeof startTokenRenewal> | undefined;

  constructor(
    readonly config: PluginConfig,
    options: { fetch?: typeof fetch | undefined } = {},
  ) {
    this.client = new AgentHiFiveClient({
      baseUrl: config.apiUrl,
      // Only an enrolled key is used: the plugin never generates one (openclaw-setup does).
      agent: { keyFile: config.keyFile, createKeyFile: false },
      userAgent: "agenthifive-openclaw/0.1.0",
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.proxy = new VaultActionProxy(this.client);
    this.watcher = new ApprovalWatcher(this.client);
    this.credentials = new VaultCredentialProvider(this.client, config.apiUrl);
  }

  /** Whether the configured allow-list and the local block list let this gateway use a connection. */
  usable(connectionId: string): string | undefined {
    if (this.blocked.has(connectionId)) {
      return "You stopped using this connection earlier in this session (agenthifive_revoke_connection).";
    }
    if (this.config.connections && !this.config.connections.includes(connectionId)) {
      return "This gateway is not configured to use that connection; call agenthifive_list_connections for the ones you may use.";
    }
    return undefined;
  }

  /** The connection description for the system prompt, refreshed at most once a minute. */
  async contextText(signal?: AbortSignal): Promise<string> {
    if (this.#context && Date.now() - this.#context.at < 60_000) return this.#context.text;
    const summary = await describeConnections(this.client, signal);
    const visible = summary.connections.filter((c) => !this.usable(c.connectionId));
    const text =
      visible.length === summary.connections.length
        ? summary.text
        : formatConnections(visible, summary.capabilities);
    this.#context = { at: Date.now(), text };
    return text;
  }

  invalidateContext() {
    this.#context = undefined;
    this.credentials.invalidate();
  }

  startRenewal(onError: (error: unknown) => void) {
    this.#renewal ??= startTokenRenewal(this.client, {
      intervalMs: this.config.tokenRenewalSeconds * 1000,
      onError,
    });
  }

  stop() {
    this.#renewal?.stop();
    this.#renewal = undefined;
    this.watcher.stop();
  }
}
