import type { Scope } from "@agenthifive/contracts";
import { AgentHiFiveError } from "./errors.js";
import type { Transport } from "./transport.js";
import type { CliLoginPollResponse, CliLoginStartResponse } from "./types.js";

export interface CompleteLoginOptions {
  signal?: AbortSignal | undefined;
  /** Called before each wait with the status; for progress output. */
  onPending?: ((info: { intervalSeconds: number }) => void) | undefined;
  /** Injectable for tests. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
}

const defaultSleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(new AgentHiFiveError({ code: "ABORTED", status: 0, message: "Sign-in cancelled." }));
      },
      { once: true },
    );
  });

/** CLI sign-in (API.md §3.7): a device-authorization style flow ending in a personal access token. */
export class CliLoginResource {
  constructor(private readonly http: Transport) {}

  /** Public: starts a sign-in request. Show `userCode` and `verificationUri` to the person. */
  start(deviceName?: string) {
    return this.http.json<CliLoginStartResponse>({
      method: "POST",
      path: "/v1/cli/login",
      body: deviceName ? { deviceName } : {},
      authenticated: false,
    });
  }

  /** Public: one poll. Throws `AUTHORIZATION_PENDING`, `SLOW_DOWN`, `EXPIRED_TOKEN` or `ACCESS_DENIED`. */
  poll(deviceCode: string, signal?: AbortSignal) {
    return this.http.json<CliLoginPollResponse>({
      method: "POST",
      path: "/v1/cli/login/poll",
      body: { deviceCode },
      authenticated: false,
      signal,
    });
  }

  /** Polls at the server's interval (slower after `SLOW_DOWN`) until the token arrives or it ends. */
  async complete(start: CliLoginStartResponse, options: CompleteLoginOptions = {}) {
    const sleep = options.sleep ?? defaultSleep;
    let intervalSeconds = start.interval;
    const deadline = Date.now() + start.expiresIn * 1000;
    for (;;) {
      options.onPending?.({ intervalSeconds });
      await sleep(intervalSeconds * 1000, options.signal);
      try {
        return await this.poll(start.deviceCode, options.signal);
      } catch (error) {
        if (!(error instanceof AgentHiFiveError)) throw error;
        if (error.code === "SLOW_DOWN") {
          const next = Number(error.details?.interval);
          intervalSeconds = Number.isFinite(next) && next > intervalSeconds ? next : intervalSeconds + 5;
        } else if (error.code !== "AUTHORIZATION_PENDING") {
          throw error;
        }
        if (Date.now() > deadline) throw error;
      }
    }
  }

  /** Human (signed-in session JWT): confirms the code shown by the CLI and picks the token's scopes. */
  approve(input: { userCode: string; scopes: Scope[]; expiresInDays?: number }) {
    return this.http.json<{ status: "approved"; deviceName: string }>({
      method: "POST",
      path: "/v1/cli/login/approve",
      body: input,
    });
  }

  deny(userCode: string) {
    return this.http.json<{ status: "denied"; deviceName: string }>({
      method: "POST",
      path: "/v1/cli/login/deny",
      body: { userCode },
    });
  }
}
