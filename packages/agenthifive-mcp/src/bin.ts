#!/usr/bin/env node
import { ConfigError, loadConfig, USAGE } from "./config.js";
import { serveHttp, serveStdio } from "./server.js";

async function main() {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`agenthifive-mcp: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (config === "help") {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  if (config.transport === "http") await serveHttp(config);
  else await serveStdio(config);
}

main().catch((error: unknown) => {
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`agenthifive-mcp: ${message}\n`);
  process.exit(1);
});
