import { homedir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";

export interface PluginConfig {
  apiUrl: string;
  keyFile: string;
  /** When set, the only connections this gateway may use. */
  connections: string[] | undefined;
  downloadDir: string;
  injectContext: boolean;
  tokenRenewalSeconds: number;
}

export class PluginConfigError extends Error {
  override readonly name = "PluginConfigError";
}

function expandHome(path: string) {
  if (path === "~") return homedir();
  if (path.startsWith("~/")) return join(homedir(), path.slice(2));
  return path;
}

/**
 * Reads `plugins.entries.agenthifive.config`. It holds references only (API URL, key file path,
 * connection ids): a provider secret or the private key itself is refused.
 */
export function parsePluginConfig(
  raw: Record<string, unknown> | undefined,
  resolvePath?: (p: string) => string,
): PluginConfig {
  const value = raw ?? {};
  const str = (key: string) =>
    typeof value[key] === "string" && value[key] !== "" ? (value[key] as string) : undefined;
  const apiUrl = str("apiUrl");
  const keyFile = str("keyFile");
  if (!apiUrl || !keyFile) {
    throw new PluginConfigError(
      "AgentHiFive plugin: set plugins.entries.agenthifive.config.apiUrl and keyFile (run `npx @agenthifive/openclaw-setup`).",
    );
  }
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new PluginConfigError("AgentHiFive plugin: apiUrl is not a URL.");
  }
  if (
    url.protocol !== "https:" &&
    url.hostname !== "127.0.0.1" &&
    url.hostname !== "localhost" &&
    url.hostname !== "[::1]"
  ) {
    throw new PluginConfigError("AgentHiFive plugin: apiUrl must be https (http only for a local API).");
  }
  for (const forbidden of ["privateKey", "bootstrapSecret", "token", "apiKey", "secret"]) {
    if (forbidden in value) {
      throw new PluginConfigError(
        `AgentHiFive plugin: "${forbidden}" does not belong in the OpenClaw config; the agent key stays in its own 0600 key file.`,
      );
    }
  }
  const toPath = (p: string) => {
    const expanded = resolvePath ? resolvePath(p) : expandHome(p);
    return isAbsolute(expanded) ? expanded : resolve(expanded);
  };
  const connections = Array.isArray(value.connections)
    ? value.connections.filter((c): c is string => typeof c === "string")
    : undefined;
  const renewal = typeof value.tokenRenewalSeconds === "number" ? value.tokenRenewalSeconds : 60;
  return {
    apiUrl: apiUrl.replace(/\/+$/, ""),
    keyFile: toPath(keyFile),
    connections: connections?.length ? connections : undefined,
    downloadDir: toPath(str("downloadDir") ?? join(homedir(), ".openclaw", "agenthifive", "downloads")),
    injectContext: value.injectContext !== false,
    tokenRenewalSeconds: Math.max(10, renewal),
  };
}
