import { homedir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

export interface McpConfig {
  apiUrl: string;
  keyFile: string;
  bootstrapSecret: string | undefined;
  downloadDir: string;
  transport: "stdio" | "http";
  host: string;
  port: number;
  maxWaitSeconds: number;
}

export const USAGE = `agenthifive-mcp: an MCP server for the AgentHiFive vault, authenticated as an agent.

Options (each also as an environment variable):
  --api-url <url>            AH5_API_URL            API origin (default http://localhost:4000)
  --key-file <path>          AH5_AGENT_KEY_FILE     agent private key, created 0600 if missing
                                                    (default ~/.config/agenthifive/agent-key.json)
  --bootstrap-secret <s>     AH5_BOOTSTRAP_SECRET   ah5b_… secret, used once to enroll the key
  --download-dir <path>      AH5_DOWNLOAD_DIR       the only directory download_file writes to
                                                    (default ./agenthifive-downloads)
  --transport stdio|http     AH5_MCP_TRANSPORT      default stdio
  --host <host>              AH5_MCP_HOST           streamable HTTP bind address (default 127.0.0.1)
  --port <n>                 AH5_MCP_PORT           streamable HTTP port (default 8765)
  --max-wait <seconds>       AH5_MCP_MAX_WAIT       longest wait_for_approval call (default 300)
  -h, --help`;

export class ConfigError extends Error {}

function configHome(env: NodeJS.ProcessEnv) {
  return env.XDG_CONFIG_HOME || join(homedir(), ".config");
}

/** Flags win over the environment; everything has a default except the secret. */
export function loadConfig(argv: string[], env: NodeJS.ProcessEnv): McpConfig | "help" {
  const { values } = parseArgs({
    args: argv,
    options: {
      "api-url": { type: "string" },
      "key-file": { type: "string" },
      "bootstrap-secret": { type: "string" },
      "download-dir": { type: "string" },
      transport: { type: "string" },
      host: { type: "string" },
      port: { type: "string" },
      "max-wait": { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) return "help";
  const transport = values.transport ?? env.AH5_MCP_TRANSPORT ?? "stdio";
  if (transport !== "stdio" && transport !== "http")
    throw new ConfigError("--transport must be stdio or http");
  const port = Number(values.port ?? env.AH5_MCP_PORT ?? 8765);
  const maxWaitSeconds = Number(values["max-wait"] ?? env.AH5_MCP_MAX_WAIT ?? 300);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new ConfigError("--port must be 0–65535");
  if (!Number.isInteger(maxWaitSeconds) || maxWaitSeconds < 1)
    throw new ConfigError("--max-wait must be ≥ 1");
  const apiUrl = values["api-url"] ?? env.AH5_API_URL ?? "http://localhost:4000";
  try {
    new URL(apiUrl);
  } catch {
    throw new ConfigError("--api-url must be an absolute URL");
  }
  return {
    apiUrl,
    keyFile:
      values["key-file"] ?? env.AH5_AGENT_KEY_FILE ?? join(configHome(env), "agenthifive", "agent-key.json"),
    bootstrapSecret: values["bootstrap-secret"] ?? (env.AH5_BOOTSTRAP_SECRET || undefined),
    downloadDir:
      values["download-dir"] ?? env.AH5_DOWNLOAD_DIR ?? join(process.cwd(), "agenthifive-downloads"),
    transport,
    host: values.host ?? env.AH5_MCP_HOST ?? "127.0.0.1",
    port,
    maxWaitSeconds,
  };
}
