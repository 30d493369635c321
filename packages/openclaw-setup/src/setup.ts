import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { VAULT_LLM_PROVIDERS } from "@agenthifive/integration-sdk";
import {
  type AgentConnection,
  AgentHiFiveClient,
  AgentHiFiveError,
  readAgentKeyFile,
} from "@agenthifive/sdk";
import { fileMode, readBytes, writeAtomic } from "./files.js";
import { applySetup, parseConfig, pluginEntry, serializeConfig } from "./openclaw-config.js";
import { resolvePaths, type SetupPaths } from "./paths.js";
import { readSetupState, removeSetupState, type SetupState, writeSetupState } from "./state.js";

export interface SetupOptions {
  apiUrl?: string | undefined;
  bootstrapSecret?: string | undefined;
  config?: string | undefined;
  stateDir?: string | undefined;
  keyFile?: string | undefined;
  pluginPath?: string | undefined;
  /** Providers to route through the vault's LLM proxy; `["auto"]`: every LLM connection the agent has. */
  llmProviders?: string[] | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export class SetupError extends Error {
  override readonly name = "SetupError";
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const BIN = fileURLToPath(new URL("./bin.js", import.meta.url));

/** The installed `@agenthifive/openclaw` package directory (what OpenClaw loads). */
export function defaultPluginPath() {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("@agenthifive/openclaw/openclaw.plugin.json"));
}

async function listConnections(client: AgentHiFiveClient) {
  const items: AgentConnection[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.agent.connections({ limit: 200, cursor });
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

function normalizeApiUrl(apiUrl: string | undefined) {
  if (!apiUrl) throw new SetupError("The AgentHiFive API URL is missing.", "Pass --api-url https://…");
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new SetupError("The API URL is not a URL.", "Pass --api-url https://…");
  }
  const local = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol !== "https:" && !(local && url.protocol === "http:")) {
    throw new SetupError("The API URL must be https (http only for a local API).");
  }
  return url.origin + url.pathname.replace(/\/+$/, "");
}

export interface InstallResult {
  paths: SetupPaths;
  agentId: string;
  connections: number;
  llmProviders: string[];
  keyCreated: boolean;
}

/**
 * Enrolls the agent, stores its key (0600, in its own file), backs up the OpenClaw config once,
 * and writes the plugin entry (and LLM routing when asked). Re-running keeps the first backup,
 * so `--remove` always returns to the config as it was before the first setup.
 */
export async function install(options: SetupOptions): Promise<InstallResult> {
  const paths = resolvePaths(options, options.env);
  const apiUrl = normalizeApiUrl(options.apiUrl);
  if (paths.keyFile === paths.configPath)
    throw new SetupError("The key file cannot be the OpenClaw config file.");
  const original = await readBytes(paths.configPath);
  const config = parseConfig(original?.toString("utf8"));
  // Checked before anything is written: without a secret or an enrolled key there is nothing to do.
  const existing = await readAgentKeyFile(paths.keyFile);
  if (!options.bootstrapSecret && !existing?.agentId) {
    throw new SetupError(
      "A bootstrap secret is needed to enroll this agent.",
      "Create one in the AgentHiFive dashboard (Agents → bootstrap secret) and pass it with --bootstrap-secret-file, --bootstrap-secret-stdin or AH5_BOOTSTRAP_SECRET.",
    );
  }

  let state = await readSetupState(paths.statePath);
  const fresh = !state;
  if (!state) {
    const backupPath = join(paths.ownDir, "openclaw.json.backup");
    if (original) await writeAtomic(backupPath, original, 0o600);
    state = {
      version: 1,
      configPath: paths.configPath,
      configExisted: original !== undefined,
      configMode: (await fileMode(paths.configPath)) ?? null,
      backupPath: original ? backupPath : null,
      keyFile: paths.keyFile,
      keyCreated: (await readBytes(paths.keyFile)) === undefined,
      apiUrl,
      agentId: null,
      createdAt: new Date().toISOString(),
    };
    // Recorded before the config changes, so an interrupted setup can still be undone.
    await writeSetupState(paths.statePath, state);
  }

  const client = new AgentHiFiveClient({ baseUrl: apiUrl, agent: { keyFile: paths.keyFile } });
  let me: Awaited<ReturnType<typeof client.agent.me>>;
  let connections: AgentConnection[];
  try {
    if (options.bootstrapSecret) await client.bootstrap(options.bootstrapSecret);
    me = await client.agent.me();
    connections = await listConnections(client);
  } catch (error) {
    // Enrollment failed before the config was touched: leave no trace of this attempt.
    if (fresh) {
      if (state.keyCreated) await rm(paths.keyFile, { force: true });
      await removeSetupState(paths.statePath, state.backupPath);
    }
    throw error;
  }

  const wanted = options.llmProviders ?? [];
  const providers = wanted.includes("auto")
    ? [
        ...new Set(
          connections
            .filter((c) => (VAULT_LLM_PROVIDERS as readonly string[]).includes(c.provider))
            .map((c) => c.provider),
        ),
      ]
    : wanted;
  const llm = providers.map((provider) => ({
    provider,
    connectionId: connections.find((c) => c.provider === provider && c.status === "active")?.connectionId,
  }));

  const next = applySetup(config, {
    apiUrl,
    keyFile: paths.keyFile,
    pluginPath: options.pluginPath ?? defaultPluginPath(),
    llm,
    tokenCommand: {
      command: process.execPath,
      args: [BIN, "token", "--key-file", paths.keyFile, "--api-url", apiUrl],
    },
  });
  await writeAtomic(paths.configPath, serializeConfig(next), state.configMode ?? 0o600);
  await writeSetupState(paths.statePath, { ...state, agentId: me.agentId, apiUrl });
  return {
    paths,
    agentId: me.agentId,
    connections: connections.length,
    llmProviders: providers,
    keyCreated: state.keyCreated,
  };
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** End-to-end checks: config entry, key file privacy, API reachable, token, agent active. */
export async function verify(options: SetupOptions): Promise<{ ok: boolean; checks: Check[] }> {
  const paths = resolvePaths(options, options.env);
  const checks: Check[] = [];
  const add = (name: string, ok: boolean, detail: string) => checks.push({ name, ok, detail });
  const text = (await readBytes(paths.configPath))?.toString("utf8");
  let entry: ReturnType<typeof pluginEntry>;
  try {
    entry = pluginEntry(parseConfig(text));
  } catch {
    add("config", false, `${paths.configPath} is not valid JSON5`);
  }
  const cfg = (entry?.config ?? {}) as { apiUrl?: string; keyFile?: string };
  add(
    "plugin entry",
    entry?.enabled === true && !!cfg.apiUrl && !!cfg.keyFile,
    `plugins.entries.agenthifive in ${paths.configPath}`,
  );
  const keyFile = cfg.keyFile ?? paths.keyFile;
  const mode = await fileMode(keyFile);
  add(
    "key file",
    mode !== undefined && (mode & 0o077) === 0,
    mode === undefined ? `${keyFile} missing` : `${keyFile} mode ${mode.toString(8)}`,
  );
  add(
    "no secret in config",
    !!text && !/"d"\s*:|ah5[btp]_/.test(text),
    "the OpenClaw config holds references only",
  );
  if (!cfg.apiUrl || mode === undefined) return { ok: false, checks };
  const client = new AgentHiFiveClient({
    baseUrl: cfg.apiUrl,
    agent: { keyFile, createKeyFile: false },
    maxRetries: 1,
  });
  try {
    await client.ready();
    add("API reachable", true, cfg.apiUrl);
    await client.accessToken();
    add("agent token", true, "client assertion accepted");
    const me = await client.agent.me();
    add("agent active", me.status === "active", `agent ${me.agentId} is ${me.status}`);
    const connections = await listConnections(client);
    add("connections", true, `${connections.length} connection(s) bound by policy`);
  } catch (error) {
    const code = error instanceof AgentHiFiveError ? error.code : (error as Error).name;
    add("API", false, `${code}${error instanceof AgentHiFiveError && error.hint ? `: ${error.hint}` : ""}`);
  }
  return { ok: checks.every((c) => c.ok), checks };
}

/** Restores the config byte for byte from the backup (or deletes it if setup created it). */
export async function remove(options: SetupOptions): Promise<{ restored: string; keyRemoved: boolean }> {
  const paths = resolvePaths(options, options.env);
  const state: SetupState | undefined = await readSetupState(paths.statePath);
  if (!state)
    throw new SetupError("Nothing to undo: no setup record was found.", `Looked for ${paths.statePath}.`);
  if (state.configExisted && state.backupPath) {
    const backup = await readBytes(state.backupPath);
    if (!backup)
      throw new SetupError(`The backup ${state.backupPath} is missing; the config was left as is.`);
    await writeAtomic(state.configPath, backup, state.configMode ?? 0o600);
  } else {
    await rm(state.configPath, { force: true });
  }
  let keyRemoved = false;
  if (state.keyCreated) {
    const client = new AgentHiFiveClient({
      baseUrl: state.apiUrl,
      agent: { keyFile: state.keyFile, createKeyFile: false },
      maxRetries: 0,
    });
    // Best effort: end the current token; the key file goes either way.
    await client.agent.logout().catch(() => undefined);
    await rm(state.keyFile, { force: true });
    keyRemoved = true;
  }
  await removeSetupState(paths.statePath, state.backupPath);
  return { restored: state.configPath, keyRemoved };
}
