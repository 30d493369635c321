import { injectCredential as injectForProvider } from "@agenthifive/oauth-connectors";
import { AppError } from "../../../lib/errors.js";
import type { StoredCredential } from "../../connections/index.js";

/**
 * Puts the stored credential on a provider request: the only place a provider secret reaches the
 * wire. The connector catalog decides how (header, scheme, path) and refuses any origin outside the
 * provider's own, so even a careless policy can never send, say, an OpenAI key to another host.
 * Local development upstreams (VAULT_DEV_ALLOW_HOSTS, plain http) get a Bearer header.
 */
export function injectCredential(
  provider: string,
  credential: StoredCredential,
  headers: Record<string, string>,
  url: string,
  devAllowHosts: readonly string[],
): { headers: Record<string, string>; url: string } {
  const secret = credential.accessToken ?? credential.secret ?? "";
  const target = new URL(url);
  if (target.protocol === "http:" && devAllowHosts.includes(target.host)) {
    return { headers: { ...headers, authorization: `${credential.tokenType ?? "Bearer"} ${secret}` }, url };
  }
  try {
    return injectForProvider({ url, headers }, provider, { secret, extra: credential.extra });
  } catch {
    throw new AppError(
      "HOST_NOT_ALLOWLISTED",
      "This connection's credential may only be sent to its provider's API.",
      {
        hint: "Call the provider's own API origin with this connection.",
      },
    );
  }
}
