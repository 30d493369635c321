import type * as oauth from "oauth4webapi";
import type { ConnectorContext } from "./context.js";
import { attachIdentity } from "./identity.js";
import { toTokenSet } from "./tokens.js";
import type { TokenSet } from "./types.js";

/** A successful code or device grant → TokenSet with the account identity. */
export async function finishGrant(
  ctx: ConnectorContext,
  as: oauth.AuthorizationServer,
  response: oauth.TokenEndpointResponse,
  requestedScopes: readonly string[] | undefined,
): Promise<TokenSet> {
  const tokens = toTokenSet({
    response,
    separator: ctx.config.scopeSeparator,
    nowMs: ctx.now(),
    fallbackScopes: requestedScopes,
  });
  return attachIdentity(ctx.identity(as), response, tokens);
}
