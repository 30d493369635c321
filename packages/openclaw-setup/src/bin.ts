#!/usr/bin/env node
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { AgentHiFiveError } from "@agenthifive/sdk";
import { install, remove, SetupError, type SetupOptions, verify } from "./setup.js";
import { answerSecretRequest } from "./token.js";

const USAGE = `Usage: openclaw-setup [options]          set up AgentHiFive for OpenClaw
       openclaw-setup --verify                 check the setup end to end
       openclaw-setup --remove                 undo the setup (restores the config from the backup)

Options:
  --api-url <url>                 AgentHiFive API URL
  --bootstrap-secret-file <path>  file holding the one-time ah5b_ secret (or set AH5_BOOTSTRAP_SECRET,
                                  or --bootstrap-secret-stdin); never pass the secret as an argument
  --config <path>                 OpenClaw config (default: $OPENCLAW_CONFIG_PATH or ~/.openclaw/openclaw.json)
  --state-dir <dir>               OpenClaw state dir (default: $OPENCLAW_STATE_DIR or ~/.openclaw)
  --key-file <path>               where the agent key goes (default: <state>/agenthifive/agent-key.json, 0600)
  --plugin-path <dir>             plugin directory to load (default: the installed @agenthifive/openclaw)
  --llm-providers <list|auto>     route these model providers through the vault's LLM proxy
  --non-interactive               never prompt
  --json                          machine-readable output`;

async function readStdin() {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Prompts on the terminal; with `hidden`, typed characters are not echoed. */
function prompt(question: string, hidden = false): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  if (hidden) {
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) =>
      write.call(rl, s.startsWith(question) ? question : "");
  }
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write("\n");
      resolve(answer.trim());
    }),
  );
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === "token") {
    const { values } = parseArgs({
      args: argv.slice(1),
      options: { "key-file": { type: "string" }, "api-url": { type: "string" } },
    });
    if (!values["key-file"] || !values["api-url"]) return 2;
    process.stdout.write(
      await answerSecretRequest(await readStdin(), {
        apiUrl: values["api-url"],
        keyFile: values["key-file"],
      }),
    );
    return 0;
  }
  const { values } = parseArgs({
    args: argv,
    options: {
      "api-url": { type: "string" },
      "bootstrap-secret-file": { type: "string" },
      "bootstrap-secret-stdin": { type: "boolean" },
      config: { type: "string" },
      "state-dir": { type: "string" },
      "key-file": { type: "string" },
      "plugin-path": { type: "string" },
      "llm-providers": { type: "string" },
      verify: { type: "boolean" },
      remove: { type: "boolean" },
      "non-interactive": { type: "boolean" },
      json: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interactive = !values["non-interactive"] && process.stdin.isTTY === true;
  const out = (human: string, data: unknown) =>
    process.stdout.write(values.json ? `${JSON.stringify(data)}\n` : `${human}\n`);
  const options: SetupOptions = {
    config: values.config,
    stateDir: values["state-dir"],
    keyFile: values["key-file"],
    pluginPath: values["plugin-path"],
    apiUrl: values["api-url"] ?? process.env.AH5_API_URL,
    llmProviders: values["llm-providers"]
      ?.split(",")
      .map((p) => p.trim())
      .filter(Boolean),
  };

  if (values.remove) {
    const result = await remove(options);
    out(`Restored ${result.restored}${result.keyRemoved ? "; agent key file removed" : ""}.`, {
      ok: true,
      ...result,
    });
    return 0;
  }
  if (values.verify) {
    const result = await verify(options);
    out(result.checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`).join("\n"), result);
    return result.ok ? 0 : 1;
  }

  if (!options.apiUrl && interactive) options.apiUrl = await prompt("AgentHiFive API URL: ");
  let secret = process.env.AH5_BOOTSTRAP_SECRET;
  if (values["bootstrap-secret-file"])
    secret = (await readFile(values["bootstrap-secret-file"], "utf8")).trim();
  else if (values["bootstrap-secret-stdin"]) secret = (await readStdin()).trim();
  else if (!secret && interactive)
    secret =
      (await prompt("Bootstrap secret (ah5b_…, leave empty if already enrolled): ", true)) || undefined;
  options.bootstrapSecret = secret;

  const result = await install(options);
  const lines = [
    `Agent ${result.agentId} enrolled; key stored in ${result.paths.keyFile} (mode 600).`,
    `OpenClaw config updated: ${result.paths.configPath} (backup kept for --remove).`,
    `${result.connections} connection(s) available to the agent.`,
    result.llmProviders.length
      ? `Model providers routed through the vault's LLM proxy: ${result.llmProviders.join(", ")}.`
      : "Model providers unchanged (use --llm-providers to route them through the vault).",
  ];
  const checked = await verify(options);
  lines.push(...checked.checks.map((c) => `${c.ok ? "ok  " : "FAIL"} ${c.name}: ${c.detail}`));
  out(lines.join("\n"), {
    ok: checked.ok,
    agentId: result.agentId,
    configPath: result.paths.configPath,
    keyFile: result.paths.keyFile,
    llmProviders: result.llmProviders,
    checks: checked.checks,
  });
  return checked.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SetupError || error instanceof AgentHiFiveError) {
      process.stderr.write(`Error: ${error.message}\n`);
      if (error.hint) process.stderr.write(`Hint: ${error.hint}\n`);
    } else {
      process.stderr.write(`Error: ${(error as Error).message ?? String(error)}\n`);
    }
    process.exitCode = 1;
  },
);
