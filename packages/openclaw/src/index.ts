import { type PluginConfig, PluginConfigError, parsePluginConfig } from "./config.js";
import type { OpenClawPluginApi, OpenClawPluginDefinition } from "./openclaw-api.js";
import { refused } from "./results.js";
import { VaultRuntime } from "./runtime.js";
import { createTools } from "./tools.js";

export { type PluginConfig, PluginConfigError, parsePluginConfig } from "./config.js";
export { safeFileName, saveDownload } from "./download.js";
export type * from "./openclaw-api.js";
export { VaultRuntime } from "./runtime.js";
export { createTools } from "./tools.js";

export const PLUGIN_ID = "agenthifive";

/**
 * The OpenClaw gateway plugin (entry point named by `openclaw.extensions` in package.json;
 * manifest `openclaw.plugin.json`). Registers the vault tools, a `before_prompt_build` hook that
 * tells the agent which connections it has and what their policies allow, and a background
 * service renewing the agent token. The config holds the API URL, the key file path and
 * optional connection ids; never a provider secret.
 */
const plugin: OpenClawPluginDefinition = {
  id: PLUGIN_ID,
  name: "AgentHiFive",
  description: "Act on connected accounts through the AgentHiFive vault instead of holding credentials.",
  register(api: OpenClawPluginApi) {
    let config: PluginConfig;
    try {
      config = parsePluginConfig(api.pluginConfig, api.resolvePath);
    } catch (error) {
      if (!(error instanceof PluginConfigError)) throw error;
      api.logger.error(error.message);
      registerUnconfigured(api, error.message);
      return;
    }
    const runtime = new VaultRuntime(config);
    for (const tool of createTools(runtime)) api.registerTool(tool, { name: tool.name });

    if (config.injectContext) {
      api.on("before_prompt_build", async () => {
        try {
          return { appendSystemContext: await runtime.contextText() };
        } catch (error) {
          api.logger.warn(`AgentHiFive: could not list connections (${(error as Error).name}).`);
          return undefined;
        }
      });
    }

    api.registerService?.({
      id: "agenthifive-token-renewal",
      start() {
        runtime.startRenewal((error) => {
          const code = (error as { code?: string }).code ?? (error as Error).name;
          api.logger.warn(`AgentHiFive: token renewal failed (${code}); retrying.`);
        });
      },
      stop() {
        runtime.stop();
      },
    });
  },
};

/** Without a usable config the tools still exist and tell the model (and user) how to fix it. */
function registerUnconfigured(api: OpenClawPluginApi, message: string) {
  for (const name of [
    "agenthifive_list_connections",
    "agenthifive_execute",
    "agenthifive_request_permission",
    "agenthifive_await_approval",
    "agenthifive_revoke_connection",
    "agenthifive_download",
  ]) {
    api.registerTool(
      {
        name,
        description: "AgentHiFive vault (not configured yet).",
        parameters: { type: "object", additionalProperties: true, properties: {} },
        execute: async () => refused(message, "NOT_CONFIGURED"),
      },
      { name },
    );
  }
}

export default plugin;
