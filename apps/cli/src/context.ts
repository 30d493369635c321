import { join } from "node:path";
import { AgentHiFiveClient, AgentHiFiveError } from "@agenthifive/sdk";
import type { Command } from "commander";
import { configDir, readCredentials } from "./credentials.js";
import { type Io, json } from "./output.js";

export const DEFAULT_API_URL = "http://localhost:4000";
const USER_AGENT = "ah5-cli/0.1.0";

export interface GlobalOptions {
  apiUrl?: string;
  json?: boolean;
}

/** Everything a command needs: output, environment, and clients built from the stored login. */
export class Context {
  constructor(
    readonly io: Io,
    readonly env: NodeJS.ProcessEnv,
    private readonly program: Command,
  ) {}

  get options(): GlobalOptions {
    return this.program.opts<GlobalOptions>();
  }

  get asJson(): boolean {
    return this.options.json === true;
  }

  /** --api-url, then AH5_API_URL, then the URL stored at login, then localhost. */
  async apiUrl(): Promise<string> {
    const explicit = this.options.apiUrl ?? this.env.AH5_API_URL;
    if (explicit) return explicit.replace(/\/+$/, "");
    return (await readCredentials(this.env))?.apiUrl ?? DEFAULT_API_URL;
  }

  /** A client with the person's token: AH5_TOKEN, else the one stored by `ah5 login`. */
  async human(): Promise<AgentHiFiveClient> {
    const token = this.env.AH5_TOKEN || (await readCredentials(this.env))?.token;
    if (!token) {
      throw new AgentHiFiveError({
        code: "NOT_SIGNED_IN",
        status: 0,
        message: "You are not signed in.",
        hint: "Run `ah5 login` (or `ah5 login --token ah5p_…`), or set AH5_TOKEN.",
      });
    }
    return new AgentHiFiveClient({ baseUrl: await this.apiUrl(), token, userAgent: USER_AGENT });
  }

  withToken(apiUrl: string, token: string): AgentHiFiveClient {
    return new AgentHiFiveClient({ baseUrl: apiUrl, token, userAgent: USER_AGENT });
  }

  anonymous(apiUrl: string): AgentHiFiveClient {
    return new AgentHiFiveClient({ baseUrl: apiUrl, userAgent: USER_AGENT });
  }

  /** Agent mode for `ah5 execute`: the agent's key file (created 0600 if missing). */
  async agent(keyFile: string | undefined, bootstrapSecret: string | undefined): Promise<AgentHiFiveClient> {
    return new AgentHiFiveClient({
      baseUrl: await this.apiUrl(),
      agent: {
        keyFile: keyFile ?? this.env.AH5_AGENT_KEY_FILE ?? join(configDir(this.env), "agent-key.json"),
        bootstrapSecret: bootstrapSecret ?? (this.env.AH5_BOOTSTRAP_SECRET || undefined),
      },
      userAgent: USER_AGENT,
    });
  }

  /** Prints `value` as JSON with --json, else the human rendering. */
  print(value: unknown, human: () => string) {
    this.io.out(this.asJson ? json(value) : human());
  }
}
