import type { z } from "zod";
import type { ProviderDefinition } from "./schema.js";
import { originOf, TENANT_PLACEHOLDER } from "./urls.js";

type Issue = (message: string, path: (string | number)[]) => void;

const PLACEHOLDER = /\{([^}]*)\}/g;

/**
 * Cross-field rules a Zod shape cannot say: capabilities must match endpoints and auth types,
 * so the API can trust `capabilities` without re-deriving it, and a credential can only be sent
 * where the provider's services live.
 */
export function checkProviderConsistency(provider: ProviderDefinition, ctx: z.RefinementCtx): void {
  const issue: Issue = (message, path) => ctx.addIssue({ code: "custom", message, path });
  checkOAuth(provider, issue);
  checkServices(provider, issue);
  checkKeys(provider, issue);
}

function checkOAuth(provider: ProviderDefinition, issue: Issue): void {
  const { authTypes, capabilities: caps, oauth } = provider;
  const usesOAuth = authTypes.includes("oauth") || authTypes.includes("device");
  if (usesOAuth !== (oauth !== undefined)) {
    issue("`oauth` is required exactly when authTypes include oauth or device", ["oauth"]);
  }
  if (caps.deviceFlow !== authTypes.includes("device")) {
    issue("capabilities.deviceFlow must match the `device` auth type", ["capabilities", "deviceFlow"]);
  }
  if (caps.refreshTokenRotation && !caps.refresh) {
    issue("refresh token rotation needs refresh", ["capabilities", "refreshTokenRotation"]);
  }
  if (caps.scopeNarrowing && !caps.refresh) {
    issue("scope narrowing happens on refresh", ["capabilities", "scopeNarrowing"]);
  }
  if (!oauth) {
    for (const [name, value] of Object.entries(caps)) {
      if (value) issue(`${name} needs an OAuth configuration`, ["capabilities", name]);
    }
    return;
  }
  const { discovery, endpoints } = oauth;
  if ((discovery === undefined) === (endpoints === undefined)) {
    issue("give exactly one of oauth.discovery and oauth.endpoints", ["oauth"]);
  }
  if (endpoints) {
    if (authTypes.includes("oauth") && !endpoints.authorization) {
      issue("auth-code providers need an authorization endpoint", ["oauth", "endpoints", "authorization"]);
    }
    if (caps.deviceFlow && !endpoints.deviceAuthorization) {
      issue("deviceFlow needs a device authorization endpoint", [
        "oauth",
        "endpoints",
        "deviceAuthorization",
      ]);
    }
    if (caps.revoke !== (endpoints.revocation !== undefined)) {
      issue("capabilities.revoke must match the revocation endpoint", ["oauth", "endpoints", "revocation"]);
    }
    const templated = Object.values(endpoints).some((url) => url?.includes(TENANT_PLACEHOLDER));
    if (templated !== (oauth.tenant !== undefined)) {
      issue("`{tenant}` in endpoints requires oauth.tenant, and only then", ["oauth", "tenant"]);
    }
    for (const [name, url] of Object.entries(endpoints)) {
      const stray = [...(url ?? "").matchAll(PLACEHOLDER)].some((m) => m[0] !== TENANT_PLACEHOLDER);
      if (stray) issue("only `{tenant}` may be templated", ["oauth", "endpoints", name]);
    }
  }
  const { identity } = oauth;
  if (discovery?.algorithm !== "oidc" && !identity.tokenResponse && !identity.profile) {
    issue("no way to learn the account id: use OIDC discovery, tokenResponse or profile", ["oauth"]);
  }
  if (identity.profile && !identity.profile.url && !discovery && !endpoints?.userinfo) {
    issue("a profile request without url needs a userinfo endpoint", ["oauth", "identity", "profile"]);
  }
}

function checkServices(provider: ProviderDefinition, issue: Issue): void {
  const seen = new Set<string>();
  provider.services.forEach((service, index) => {
    if (!service.id.startsWith(`${provider.id}-`)) {
      issue(`service ids start with "${provider.id}-"`, ["services", index, "id"]);
    }
    if (seen.has(service.id)) issue("duplicate service id", ["services", index, "id"]);
    seen.add(service.id);
    const allowed = new Set(service.allowedScopes);
    if (!service.defaultScopes.every((scope) => allowed.has(scope))) {
      issue("default scopes must be allowed scopes", ["services", index, "defaultScopes"]);
    }
    if (service.apiOrigins.length === 0 && !provider.customOrigin) {
      issue("a service needs at least one API origin", ["services", index, "apiOrigins"]);
    }
  });
}

function checkKeys(provider: ProviderDefinition, issue: Issue): void {
  const { authTypes, verification, injection, extraFields, customOrigin } = provider;
  const usesKey = authTypes.includes("api_key") || authTypes.includes("bot_token");
  if (usesKey && !verification && !customOrigin) {
    issue("api-key and bot-token providers need a verification request", ["verification"]);
  }
  if (verification && !customOrigin) {
    const origins = new Set(provider.services.flatMap((service) => service.apiOrigins));
    if (!origins.has(originOf(verification.url) ?? "")) {
      issue("the verification URL must be on one of the services' origins", ["verification", "url"]);
    }
  }
  if (customOrigin && !extraFields.some((field) => field.name === "origin" && field.required)) {
    issue("customOrigin providers need a required `origin` extra field", ["extraFields"]);
  }
  if (injection.in === "header" && injection.scheme !== undefined && injection.template !== undefined) {
    issue("give scheme or template, not both", ["injection"]);
  }
  const template = injection.in === "header" ? (injection.template ?? "") : injection.prefix;
  const declared = new Set(extraFields.map((field) => `extra.${field.name}`));
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? "";
    if (name !== "secret" && !declared.has(name)) {
      issue(`unknown placeholder {${name}}`, ["injection"]);
    }
  }
}
