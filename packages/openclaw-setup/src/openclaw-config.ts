import JSON5 from "json5";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const PLUGIN_ID = "agenthifive";
export const SECRET_PROVIDER_ID = "agenthifive";
export const TOKEN_SECRET_ID = "agent-token";

export function parseConfig(text: string | undefined): JsonObject {
  if (!text || text.trim() === "") return {};
  const value = JSON5.parse(text) as Json;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("The OpenClaw config is not a JSON5 object.");
  }
  return value;
}

function obj(parent: JsonObject, key: string): JsonObject {
  const current = parent[key];
  if (typeof current === "object" && current !== null && !Array.isArray(current)) return current;
  const created: JsonObject = {};
  parent[key] = created;
  return created;
}

export interface PluginSettings {
  apiUrl: string;
  keyFile: string;
  pluginPath: string;
  /** LLM providers to route through the vault's LLM proxy, with the connection id serving each. */
  llm: Array<{ provider: string; connectionId: string | undefined }>;
  /** For the exec secret provider that hands OpenClaw a fresh agent token. */
  tokenCommand: { command: string; args: string[] };
}

/**
 * Adds the plugin (load path, enabled entry holding only the API URL and the key file path) and,
 * for each routed LLM provider, a base URL on the vault's LLM proxy whose API key is the agent's
 * short-lived token, fetched by OpenClaw through an exec secret provider (never stored).
 */
export function applySetup(config: JsonObject, s: PluginSettings): JsonObject {
  const next = structuredClone(config);
  const plugins = obj(next, "plugins");
  const load = obj(plugins, "load");
  const paths = Array.isArray(load.paths) ? load.paths : [];
  if (!paths.includes(s.pluginPath)) paths.push(s.pluginPath);
  load.paths = paths;
  if (Array.isArray(plugins.allow) && !plugins.allow.includes(PLUGIN_ID)) plugins.allow.push(PLUGIN_ID);
  const entries = obj(plugins, "entries");
  entries[PLUGIN_ID] = {
    enabled: true,
    // The plugin's start-of-turn hook adds the connection summary to the system prompt.
    hooks: { allowConversationAccess: true, allowPromptInjection: true },
    config: { apiUrl: s.apiUrl, keyFile: s.keyFile },
  };
  if (s.llm.length > 0) {
    const secrets = obj(obj(next, "secrets"), "providers");
    secrets[SECRET_PROVIDER_ID] = {
      source: "exec",
      command: s.tokenCommand.command,
      args: s.tokenCommand.args,
      jsonOnly: true,
    };
    const models = obj(next, "models");
    models.mode ??= "merge";
    const providers = obj(models, "providers");
    for (const { provider, connectionId } of s.llm) {
      const entry = obj(providers, provider);
      entry.baseUrl = `${s.apiUrl}/v1/vault/llm/${provider}`;
      entry.apiKey = { source: "exec", provider: SECRET_PROVIDER_ID, id: TOKEN_SECRET_ID };
      if (connectionId)
        entry.headers = { ...(obj(entry, "headers") as JsonObject), "x-ah5-connection-id": connectionId };
    }
  }
  return next;
}

export function pluginEntry(config: JsonObject): JsonObject | undefined {
  const entry = (config.plugins as JsonObject | undefined)?.entries as JsonObject | undefined;
  const value = entry?.[PLUGIN_ID];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

export function serializeConfig(config: JsonObject) {
  return `${JSON.stringify(config, null, 2)}\n`;
}
