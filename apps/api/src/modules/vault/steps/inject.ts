import type { StoredCredential } from "../../connections/index.js";

/** How each provider takes its credential. OAuth tokens are always a Bearer header. */
const KEY_HEADERS: Record<string, { header: string; scheme?: string }> = {
  anthropic: { header: "x-api-key" },
  gemini: { header: "x-goog-api-key" },
};

/**
 * Adds the stored credential to a provider request: the only place a provider secret is put on
 * the wire. Returns new headers and URL; the inputs are not changed.
 */
export function injectCredential(
  provider: string,
  credential: StoredCredential,
  headers: Record<string, string>,
  url: string,
): { headers: Record<string, string>; url: string } {
  const secret = credential.accessToken ?? credential.secret ?? "";
  if (provider === "telegram" && credential.secret) {
    // Telegram's Bot API takes the token in the path: https://api.telegram.org/bot<token>/method
    const u = new URL(url);
    u.pathname = u.pathname.replace(/^\/bot[^/]*\//, "/").replace(/^\//, `/bot${credential.secret}/`);
    return { headers, url: u.toString() };
  }
  const key = credential.accessToken ? undefined : KEY_HEADERS[provider];
  if (key) return { headers: { ...headers, [key.header]: secret }, url };
  return { headers: { ...headers, authorization: `${credential.tokenType ?? "Bearer"} ${secret}` }, url };
}
