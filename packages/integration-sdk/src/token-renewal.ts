import type { AgentHiFiveClient } from "@agenthifive/sdk";

export interface TokenRenewalOptions {
  /** How often to check the token. Default 60 s; the SDK renews when < 60 s remain (configurable). */
  intervalMs?: number | undefined;
  /** Called with renewal failures (the next tick retries). Never receives the token. */
  onError?: ((error: unknown) => void) | undefined;
}

/**
 * Keeps the agent's access token fresh in the background so the first call after an idle
 * period does not pay for a token exchange. The timer does not keep the process alive.
 */
export function startTokenRenewal(client: AgentHiFiveClient, options: TokenRenewalOptions = {}) {
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      await client.accessToken();
    } catch (error) {
      options.onError?.(error);
    }
  };
  const timer = setInterval(tick, options.intervalMs ?? 60_000);
  timer.unref();
  void tick();
  return {
    /** Runs one renewal check now. */
    renewNow: tick,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
