import { randomUUID } from "node:crypto";
import { CLIENT_ASSERTION_TYPE } from "@agenthifive/contracts";
import { type JWK, SignJWT } from "jose";
import {
  type AgentKey,
  type AgentKeyAlg,
  type AgentKeyFile,
  importAgentKey,
  loadOrCreateAgentKeyFile,
  readAgentKeyFile,
  writeAgentKeyFile,
} from "./agent-key.js";
import { AgentHiFiveError } from "./errors.js";
import type { AuthProvider, Transport } from "./transport.js";
import type { AgentBootstrapResult, AgentTokenResult } from "./types.js";

export interface AgentAuthOptions {
  /**
   * Where the agent's private key lives. Loaded when present; otherwise a key is generated and
   * written there with mode 0600. After enrollment the file also records the agent id.
   */
  keyFile?: string | undefined;
  /** Alternatively, the private JWK itself (kept in memory only). */
  privateKey?: JWK | undefined;
  /**
   * Generate and save a key when `keyFile` does not exist (default true). Runtimes that must only
   * use an enrolled key (e.g. a gateway plugin) set false: a missing file is then an error.
   */
  createKeyFile?: boolean | undefined;
  /** Algorithm for a generated key. Default ES256. */
  alg?: AgentKeyAlg | undefined;
  /** The agent id, when the key was enrolled elsewhere and the key file does not record it. */
  agentId?: string | undefined;
  /** `ah5b_…`: used once, only while the key is not enrolled yet. */
  bootstrapSecret?: string | undefined;
  /** Audience of client assertions; default: the one the API returned at bootstrap. */
  tokenEndpoint?: string | undefined;
  /** Renew the access token when fewer seconds than this remain. Default 60. */
  renewBeforeSeconds?: number | undefined;
}

const ASSERTION_LIFETIME_S = 60;

/**
 * Agent authentication (API.md §3.5): bootstrap once with a secret, then sign a fresh RFC 7523
 * client assertion (≤ 60 s, unique jti, aud = token endpoint) for each access token, cache the
 * `ah5t_` token and renew it before it expires. Concurrent callers share one renewal.
 */
export class AgentSession implements AuthProvider {
  #key: AgentKey | undefined;
  #file: AgentKeyFile | undefined;
  #agentId: string | undefined;
  #tokenEndpoint: string | undefined;
  #token: { value: string; expiresAtMs: number } | undefined;
  #pending: Promise<string> | undefined;
  #clockOffsetMs = 0;

  constructor(
    private readonly publicTransport: Transport,
    private readonly options: AgentAuthOptions,
  ) {
    this.#agentId = options.agentId;
    this.#tokenEndpoint = options.tokenEndpoint;
  }

  get agentId(): string | undefined {
    return this.#agentId;
  }

  /** The loaded key (generating and saving one if needed). */
  async key(): Promise<AgentKey> {
    if (this.#key) return this.#key;
    if (this.options.privateKey) {
      this.#key = await importAgentKey(this.options.privateKey);
    } else if (this.options.keyFile) {
      const file =
        this.options.createKeyFile === false
          ? await readAgentKeyFile(this.options.keyFile)
          : (await loadOrCreateAgentKeyFile(this.options.keyFile, this.options.alg)).file;
      if (!file) {
        throw new AgentHiFiveError({
          code: "AGENT_NOT_BOOTSTRAPPED",
          status: 0,
          message: `There is no agent key file at ${this.options.keyFile}.`,
          hint: "Enroll the agent first (for OpenClaw: npx @agenthifive/openclaw-setup).",
        });
      }
      this.#file = file;
      this.#agentId ??= file.agentId;
      this.#tokenEndpoint ??= file.tokenEndpoint;
      this.#key = await importAgentKey(file.privateKey);
    } else {
      throw new AgentHiFiveError({
        code: "KEY_INVALID",
        status: 0,
        message: "Agent mode needs a keyFile or a privateKey.",
      });
    }
    return this.#key;
  }

  /** Enrolls the key with a one-time `ah5b_` secret and records the agent id in the key file. */
  async bootstrap(bootstrapSecret: string, signal?: AbortSignal): Promise<AgentBootstrapResult> {
    const key = await this.key();
    const result = await this.publicTransport.json<AgentBootstrapResult>({
      method: "POST",
      path: "/v1/agents/bootstrap",
      body: { bootstrapSecret, publicKey: key.publicJwk },
      authenticated: false,
      signal,
    });
    this.#agentId = result.agentId;
    this.#tokenEndpoint = this.options.tokenEndpoint ?? result.tokenEndpoint;
    this.#token = undefined;
    if (this.options.keyFile && this.#file) {
      this.#file = { ...this.#file, agentId: result.agentId, tokenEndpoint: result.tokenEndpoint };
      await writeAgentKeyFile(this.options.keyFile, this.#file);
    }
    return result;
  }

  /** A signed client assertion for the token endpoint. */
  async signAssertion(): Promise<string> {
    const key = await this.key();
    const agentId = await this.ensureEnrolled();
    const iat = Math.floor((Date.now() + this.#clockOffsetMs) / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: key.alg, kid: key.thumbprint, typ: "JWT" })
      .setIssuer(agentId)
      .setSubject(agentId)
      .setAudience(this.#tokenEndpoint ?? `${this.publicTransport.baseUrl}/v1/agents/token`)
      .setIssuedAt(iat)
      .setExpirationTime(iat + ASSERTION_LIFETIME_S)
      .setJti(randomUUID())
      .sign(key.privateKey);
  }

  /** A valid `ah5t_` access token, renewed when fewer than `renewBeforeSeconds` remain. */
  async accessToken(signal?: AbortSignal): Promise<string> {
    const renewBeforeMs = (this.options.renewBeforeSeconds ?? 60) * 1000;
    if (this.#token && this.#token.expiresAtMs - Date.now() > renewBeforeMs) return this.#token.value;
    this.#pending ??= this.fetchToken(signal).finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  async authorization(signal?: AbortSignal) {
    return `Bearer ${await this.accessToken(signal)}`;
  }

  /** After a 401 on a business route: drop the token and get a new one (the transport retries once). */
  async refresh(error: AgentHiFiveError, signal?: AbortSignal) {
    if (error.code !== "TOKEN_EXPIRED" && error.code !== "UNAUTHENTICATED") return false;
    this.#token = undefined;
    await this.accessToken(signal);
    return true;
  }

  /** Forgets the cached token (e.g. after `DELETE /v1/agent/token`). */
  forgetToken() {
    this.#token = undefined;
  }

  private async ensureEnrolled(): Promise<string> {
    await this.key();
    if (this.#agentId) return this.#agentId;
    if (this.options.bootstrapSecret) return (await this.bootstrap(this.options.bootstrapSecret)).agentId;
    throw new AgentHiFiveError({
      code: "AGENT_NOT_BOOTSTRAPPED",
      status: 0,
      message: "This agent key is not enrolled yet.",
      hint: "Pass a bootstrap secret (ah5b_…) issued in the dashboard or with `ah5 agents bootstrap-secret`.",
    });
  }

  private async fetchToken(signal?: AbortSignal, skewRetried = false): Promise<string> {
    const request = async () =>
      this.publicTransport.json<AgentTokenResult>({
        method: "POST",
        path: "/v1/agents/token",
        body: {
          grant_type: "client_credentials",
          client_assertion_type: CLIENT_ASSERTION_TYPE,
          client_assertion: await this.signAssertion(),
        },
        authenticated: false,
        signal,
      });
    let result: AgentTokenResult;
    try {
      result = await request();
    } catch (error) {
      // A clock that is off by more than the 5 s leeway: sign with the server's time once.
      const serverTime = error instanceof AgentHiFiveError ? error.details?.serverTime : undefined;
      if (!skewRetried && error instanceof AgentHiFiveError && error.code === "CLOCK_SKEW" && serverTime) {
        const at = Date.parse(String(serverTime));
        if (!Number.isNaN(at)) {
          this.#clockOffsetMs = at - Date.now();
          return this.fetchToken(signal, true);
        }
      }
      throw error;
    }
    this.#token = { value: result.access_token, expiresAtMs: Date.now() + result.expires_in * 1000 };
    return result.access_token;
  }
}
