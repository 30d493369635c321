import { Command, CommanderError } from "commander";
import { registerAgents } from "./commands/agents.js";
import { registerApprovals } from "./commands/approvals.js";
import { registerAudit } from "./commands/audit.js";
import { registerConnections } from "./commands/connections.js";
import { registerExecute } from "./commands/execute.js";
import { registerLogin } from "./commands/login.js";
import { registerPolicies } from "./commands/policies.js";
import { Context } from "./context.js";
import { EXIT, EXIT_CODES_HELP, exitCodeFor, SilentExit } from "./exit-codes.js";
import { formatError, type Io, processIo } from "./output.js";

export const VERSION = "0.1.0";

const ENV_HELP = `Environment:
  AH5_API_URL          API origin (default: the one stored at login, else http://localhost:4000)
  AH5_TOKEN            a personal access token; overrides the stored one
  XDG_CONFIG_HOME      credentials go to $XDG_CONFIG_HOME/agenthifive (default ~/.config/agenthifive)
  AH5_CONFIG_DIR       exact directory for credentials and the agent key
  AH5_AGENT_KEY_FILE   agent key for \`ah5 execute\``;

export function buildProgram(io: Io, env: NodeJS.ProcessEnv): Command {
  const program = new Command("ah5");
  const ctx = new Context(io, env, program);
  program
    .description("AgentHiFive from the command line: agents, connections, policies, approvals and audit.")
    .version(VERSION, "-V, --version")
    .option("--api-url <url>", "API origin")
    .option("--json", "machine-readable JSON output (errors too, on stderr)")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\n${ENV_HELP}\n\n${EXIT_CODES_HELP}`)
    .configureOutput({
      writeOut: (s) => io.out(s.trimEnd()),
      writeErr: (s) => io.err(s.trimEnd()),
    });
  registerLogin(program, ctx);
  registerConnections(program, ctx);
  registerAgents(program, ctx);
  registerPolicies(program, ctx);
  registerApprovals(program, ctx);
  registerAudit(program, ctx);
  registerExecute(program, ctx);
  // Every command (and sub-command group) reports usage errors through exitOverride below.
  const override = (c: Command) => {
    c.exitOverride();
    for (const sub of c.commands) override(sub);
  };
  override(program);
  return program;
}

/** Runs the CLI and resolves to the exit code (never calls process.exit itself). */
export async function run(
  argv: string[],
  io: Io = processIo,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const program = buildProgram(io, env);
  try {
    await program.parseAsync(argv, { from: "user" });
    return EXIT.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; unknown commands, bad options and a group without a
      // sub-command (commander prints its help with exit code 1) are usage errors.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    if (!(error instanceof SilentExit)) io.err(formatError(error, program.opts().json === true));
    return exitCodeFor(error);
  }
}
