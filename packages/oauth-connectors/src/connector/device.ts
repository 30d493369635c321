import * as oauth from "oauth4webapi";
import { connectorError, toConnectorError } from "../error-mapping.js";
import type { ConnectorContext } from "./context.js";
import { finishGrant } from "./grant.js";
import type { DeviceAuthorization, DevicePollResult } from "./types.js";

/** RFC 8628 §3.2: the interval when the server names none, and §3.5: the slow_down increment. */
const DEFAULT_INTERVAL_S = 5;
const SLOW_DOWN_STEP_S = 5;

function requireDeviceEndpoint(
  ctx: ConnectorContext,
  as: oauth.AuthorizationServer,
  operation: "device_authorization" | "device_poll",
) {
  if (!ctx.provider.capabilities.deviceFlow || !as.device_authorization_endpoint) {
    throw connectorError("ERR_PROVIDER_NOT_SUPPORTED", operation, {
      reason: "the provider has no device authorization flow",
    });
  }
}

/** RFC 8628 §3.1–3.2. The device code is a bearer secret: the caller stores it encrypted. */
export async function startDeviceAuthorization(
  ctx: ConnectorContext,
  as: oauth.AuthorizationServer,
  scopes: readonly string[],
): Promise<DeviceAuthorization> {
  requireDeviceEndpoint(ctx, as, "device_authorization");
  const requested = ctx.withBaseScopes(scopes);
  try {
    const res = await oauth.deviceAuthorizationRequest(
      as,
      ctx.client,
      ctx.clientAuth("device_authorization"),
      requested.length > 0 ? { scope: ctx.joinScopes(requested) } : {},
      ctx.http("device_authorization", as),
    );
    const answer = await oauth.processDeviceAuthorizationResponse(as, ctx.client, res);
    const result: DeviceAuthorization = {
      deviceCode: answer.device_code,
      userCode: answer.user_code,
      verificationUri: answer.verification_uri,
      expiresIn: answer.expires_in,
      interval:
        typeof answer.interval === "number" && answer.interval > 0 ? answer.interval : DEFAULT_INTERVAL_S,
    };
    if (typeof answer.verification_uri_complete === "string") {
      result.verificationUriComplete = answer.verification_uri_complete;
    }
    return result;
  } catch (error) {
    throw toConnectorError(error, "device_authorization", ctx.config.errorAliases);
  }
}

/**
 * One RFC 8628 §3.4 token request. The four §3.5 answers become statuses, not errors, because
 * they are the normal life of a device flow; anything else (invalid_grant for an unknown code,
 * a 5xx, a network error) is thrown as for any other grant. The caller owns the schedule: it
 * must wait `interval` seconds between polls and use the raised interval after `slow_down`.
 */
export async function pollDeviceAuthorization(
  ctx: ConnectorContext,
  as: oauth.AuthorizationServer,
  deviceCode: string,
  options: { intervalSeconds?: number; requestedScopes?: readonly string[] },
): Promise<DevicePollResult> {
  requireDeviceEndpoint(ctx, as, "device_poll");
  let response: oauth.TokenEndpointResponse;
  try {
    const res = await oauth.deviceCodeGrantRequest(
      as,
      ctx.client,
      ctx.clientAuth("device_poll"),
      deviceCode,
      ctx.http("device_poll", as),
    );
    response = await oauth.processDeviceCodeResponse(as, ctx.client, res, {
      recognizedTokenTypes: ctx.recognizedTokenTypes,
    });
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError) {
      const code = ctx.config.errorAliases[error.error] ?? error.error;
      if (code === "authorization_pending") return { status: "pending" };
      if (code === "access_denied") return { status: "denied" };
      if (code === "expired_token") return { status: "expired" };
      if (code === "slow_down") {
        const current = options.intervalSeconds ?? DEFAULT_INTERVAL_S;
        const suggested = typeof error.cause.interval === "number" ? error.cause.interval : 0;
        return { status: "slow_down", interval: Math.max(current + SLOW_DOWN_STEP_S, suggested) };
      }
    }
    throw toConnectorError(error, "device_poll", ctx.config.errorAliases);
  }
  const requested = options.requestedScopes ? ctx.withBaseScopes(options.requestedScopes) : undefined;
  return { status: "complete", tokens: await finishGrant(ctx, as, response, requested) };
}
