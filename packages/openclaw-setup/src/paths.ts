import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";

export interface SetupPaths {
  /** The OpenClaw config file (JSON5). */
  configPath: string;
  /** OpenClaw's state directory (`~/.openclaw` unless overridden). */
  stateDir: string;
  /** Our own directory inside the state dir: key file, backup, setup record. */
  ownDir: string;
  keyFile: string;
  statePath: string;
}

/**
 * Where OpenClaw keeps its config, in OpenClaw's order: `--config`, `OPENCLAW_CONFIG_PATH`,
 * `$OPENCLAW_STATE_DIR/openclaw.json`, `~/.openclaw/openclaw.json`.
 */
export function resolvePaths(
  options: { config?: string | undefined; stateDir?: string | undefined; keyFile?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
): SetupPaths {
  const stateDir = resolve(options.stateDir ?? env.OPENCLAW_STATE_DIR ?? join(homedir(), ".openclaw"));
  const configPath = resolve(options.config ?? env.OPENCLAW_CONFIG_PATH ?? join(stateDir, "openclaw.json"));
  const ownDir = join(
    options.stateDir || env.OPENCLAW_STATE_DIR ? stateDir : dirname(configPath),
    "agenthifive",
  );
  return {
    configPath,
    stateDir,
    ownDir,
    keyFile: resolve(options.keyFile ?? join(ownDir, "agent-key.json")),
    statePath: join(ownDir, "setup-state.json"),
  };
}
