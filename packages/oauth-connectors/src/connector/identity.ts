import * as oauth from "oauth4webapi";
import type { FieldMap, ProviderDefinition } from "../catalog/schema.js";
import { connectorError, isTransientStatus, toConnectorError } from "../error-mapping.js";
import type { FetchLike } from "../fetch.js";
import { httpOptions } from "../fetch.js";
import { readFirst, readTrue } from "../json-path.js";
import type { AccountIdentity, TokenSet } from "./types.js";

export interface IdentityContext {
  provider: ProviderDefinition;
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  fetch: FetchLike;
  allowInsecureHttp: boolean;
}

type PartialIdentity = Partial<AccountIdentity>;

function fromFields(source: unknown, fields: FieldMap): PartialIdentity {
  return {
    providerAccountId: readFirst(source, fields.id),
    email: readFirst(source, fields.email),
    displayName: readFirst(source, fields.name),
  };
}

function merge(into: PartialIdentity, from: PartialIdentity): PartialIdentity {
  return {
    providerAccountId: into.providerAccountId ?? from.providerAccountId,
    email: into.email ?? from.email,
    displayName: into.displayName ?? from.displayName,
  };
}

/**
 * Fills the account fields of a fresh TokenSet: ID token claims first (already validated by
 * oauth4webapi), then the token response (Slack, Notion), then the profile request when the id
 * or the email is still missing. A TokenSet without an account id is refused: the API cannot
 * file the connection (`provider_account_id` is NOT NULL).
 */
export async function attachIdentity(
  ctx: IdentityContext,
  response: oauth.TokenEndpointResponse,
  tokens: TokenSet,
): Promise<TokenSet> {
  const identity = ctx.provider.oauth?.identity;
  let found: PartialIdentity = {};
  const claims = oauth.getValidatedIdTokenClaims(response);
  if (claims) found = fromFields(claims, { id: ["sub"], email: ["email"], name: ["name"] });
  if (identity?.tokenResponse) found = merge(found, fromFields(response, identity.tokenResponse));
  const incomplete = found.providerAccountId === undefined || found.email === undefined;
  if (incomplete && identity?.profile) {
    try {
      found = merge(found, await fetchProfile(ctx, tokens.accessToken, found.providerAccountId));
    } catch (error) {
      // The grant itself succeeded; a missing email is acceptable, a missing account id is not.
      if (found.providerAccountId === undefined) throw error;
    }
  }
  if (found.providerAccountId === undefined) {
    throw connectorError("ERR_PROVIDER_INVALID_RESPONSE", "userinfo", {
      reason: "the provider did not identify the account",
    });
  }
  const result: TokenSet = { ...tokens, providerAccountId: found.providerAccountId };
  if (found.email !== undefined) result.accountEmail = found.email;
  if (found.displayName !== undefined) result.accountDisplayName = found.displayName;
  return result;
}

/** The catalog's profile request, or the OIDC userinfo endpoint when it names no URL. */
export async function fetchProfile(
  ctx: IdentityContext,
  accessToken: string,
  expectedSubject?: string,
): Promise<PartialIdentity> {
  const profile = ctx.provider.oauth?.identity.profile;
  if (!profile) throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", "userinfo");
  const options = httpOptions(ctx.fetch, ctx.allowInsecureHttp);
  try {
    if (!profile.url) {
      if (!ctx.as.userinfo_endpoint) throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", "userinfo");
      const res = await oauth.userInfoRequest(ctx.as, ctx.client, accessToken, options);
      const subject = expectedSubject ?? oauth.skipSubjectCheck;
      const info = await oauth.processUserInfoResponse(ctx.as, ctx.client, subject, res);
      return fromFields(info, profile.fields);
    }
    const headers = new Headers(profile.headers);
    headers.set("accept", headers.get("accept") ?? "application/json");
    const res = await oauth.protectedResourceRequest(
      accessToken,
      profile.method,
      new URL(profile.url),
      headers,
      undefined,
      options,
    );
    if (!res.ok) {
      await res.body?.cancel();
      const code = res.status === 401 ? "ERR_PROVIDER_INVALID_GRANT" : "ERR_PROVIDER_INVALID_RESPONSE";
      const transient = isTransientStatus(res.status);
      throw connectorError(transient ? "ERR_PROVIDER_UNAVAILABLE" : code, "userinfo", { status: res.status });
    }
    const body: unknown = await res.json();
    if (profile.successPath && !readTrue(body, profile.successPath)) {
      throw connectorError("ERR_PROVIDER_INVALID_GRANT", "userinfo");
    }
    return fromFields(body, profile.fields);
  } catch (error) {
    throw toConnectorError(error, "userinfo", ctx.provider.oauth?.errorAliases);
  }
}
