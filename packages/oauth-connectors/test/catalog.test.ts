import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { isHttpsOrigin, isHttpsUrl } from "../src/catalog/urls.js";
import {
  defineOidcProvider,
  getProvider,
  getService,
  listProviders,
  type ProviderDefinitionInput,
  ProviderDefinitionSchema,
  resolveServiceScopes,
} from "../src/index.js";

const providers = listProviders();

function urlsOf(value: unknown): string[] {
  if (typeof value === "string") return /^[a-z]+:\/\//.test(value) ? [value] : [];
  if (value === null || typeof value !== "object") return [];
  return Object.values(value).flatMap(urlsOf);
}

describe("built-in catalog", () => {
  it("has every provider the product promises", () => {
    expect(providers.map((p) => p.id)).toEqual([
      "google",
      "microsoft",
      "slack",
      "notion",
      "github",
      "atlassian",
      "trello",
      "openai",
      "anthropic",
      "gemini",
      "openrouter",
      "telegram",
      "generic-api-key",
    ]);
    expect(getProvider("google")?.services.map((s) => s.id)).toEqual([
      "google-gmail",
      "google-calendar",
      "google-drive",
      "google-docs",
      "google-sheets",
      "google-contacts",
    ]);
    expect(getProvider("microsoft")?.services.map((s) => s.id)).toEqual([
      "microsoft-outlook-mail",
      "microsoft-outlook-calendar",
      "microsoft-outlook-contacts",
      "microsoft-onedrive",
      "microsoft-teams",
    ]);
  });

  it.each(providers.map((p) => [p.id, p] as const))("%s re-validates against the schema", (_id, provider) => {
    expect(ProviderDefinitionSchema.safeParse(provider).success).toBe(true);
  });

  it.each(providers.map((p) => [p.id, p] as const))(
    "%s uses https only: endpoints and origins",
    (_id, provider) => {
      for (const url of urlsOf(provider)) expect(isHttpsUrl(url), url).toBe(true);
      for (const service of provider.services) {
        for (const origin of service.apiOrigins) expect(isHttpsOrigin(origin), origin).toBe(true);
      }
    },
  );

  it.each(providers.map((p) => [p.id, p] as const))(
    "%s has capabilities matching its endpoints",
    (_id, p) => {
      const { capabilities: caps, oauth } = p;
      const endpoints = oauth?.endpoints;
      expect(caps.deviceFlow).toBe(p.authTypes.includes("device"));
      if (caps.deviceFlow) expect(oauth?.discovery ?? endpoints?.deviceAuthorization).toBeDefined();
      if (endpoints) expect(caps.revoke).toBe(endpoints.revocation !== undefined);
      if (caps.refreshTokenRotation || caps.scopeNarrowing) expect(caps.refresh).toBe(true);
      if (!oauth) expect(Object.values(caps).every((v) => v === false)).toBe(true);
      if (p.authTypes.includes("api_key") || p.authTypes.includes("bot_token")) {
        expect(p.verification !== undefined || p.customOrigin).toBe(true);
      }
    },
  );

  it("injects each credential the way its provider expects", () => {
    expect(getProvider("openai")?.injection).toMatchObject({
      in: "header",
      name: "authorization",
      scheme: "Bearer",
    });
    expect(getProvider("anthropic")?.injection).toMatchObject({ in: "header", name: "x-api-key" });
    expect(getProvider("gemini")?.injection).toMatchObject({ in: "header", name: "x-goog-api-key" });
    expect(getProvider("telegram")?.injection).toEqual({ in: "path", prefix: "/bot{secret}" });
  });

  it("is frozen: callers cannot change the shared catalog", () => {
    const google = getProvider("google");
    expect(Object.isFrozen(google)).toBe(true);
    expect(Object.isFrozen(google?.services[0]?.apiOrigins)).toBe(true);
  });

  it("looks up services and unknown ids", () => {
    expect(getService("google-gmail")?.provider.id).toBe("google");
    expect(getService("google-gmail")?.service.apiOrigins).toEqual(["https://gmail.googleapis.com"]);
    expect(getService("nope")).toBeUndefined();
    expect(getProvider("nope")).toBeUndefined();
  });

  it("resolves requested scopes against the service", () => {
    const gmail = getService("google-gmail")?.service;
    if (!gmail) throw new Error("missing gmail");
    expect(resolveServiceScopes(gmail)).toEqual({ ok: true, scopes: gmail.defaultScopes });
    const send = "https://www.googleapis.com/auth/gmail.send";
    expect(resolveServiceScopes(gmail, [send, send])).toEqual({ ok: true, scopes: [send] });
    expect(resolveServiceScopes(gmail, [send, "https://mail.google.com/"])).toEqual({
      ok: false,
      notAllowed: ["https://mail.google.com/"],
    });
  });
});

describe("schema rules", () => {
  const base: ProviderDefinitionInput = {
    id: "acme",
    label: "Acme",
    authTypes: ["oauth"],
    capabilities: {
      pkce: true,
      deviceFlow: false,
      refresh: true,
      revoke: false,
      refreshTokenRotation: false,
      scopeNarrowing: false,
      issuesShortLivedTokens: true,
    },
    oauth: {
      endpoints: { authorization: "https://acme.example/authorize", token: "https://acme.example/token" },
      identity: { profile: { url: "https://api.acme.example/me", fields: { id: "id" } } },
    },
    injection: { in: "header", name: "authorization", scheme: "Bearer" },
    services: [
      {
        id: "acme-api",
        label: "API",
        defaultScopes: ["r"],
        allowedScopes: ["r", "w"],
        apiOrigins: ["https://api.acme.example"],
      },
    ],
  };
  const issues = (input: unknown) => {
    const parsed = ProviderDefinitionSchema.safeParse(input);
    return parsed.success ? [] : parsed.error.issues.map((i) => i.message);
  };

  it("accepts a consistent definition", () => {
    expect(issues(base)).toEqual([]);
  });

  it.each([
    [
      "a device flow without an endpoint",
      { capabilities: { ...base.capabilities, deviceFlow: true }, authTypes: ["oauth", "device"] },
    ],
    ["revoke without a revocation endpoint", { capabilities: { ...base.capabilities, revoke: true } }],
    [
      "rotation without refresh",
      { capabilities: { ...base.capabilities, refresh: false, refreshTokenRotation: true } },
    ],
    ["an http origin", { services: [{ ...base.services[0], apiOrigins: ["http://api.acme.example"] }] }],
    [
      "an origin with a path",
      { services: [{ ...base.services[0], apiOrigins: ["https://api.acme.example/v1"] }] },
    ],
    [
      "a default scope that is not allowed",
      { services: [{ ...base.services[0], defaultScopes: ["admin"] }] },
    ],
    ["a service id of another provider", { services: [{ ...base.services[0], id: "other-api" }] }],
    [
      "an http endpoint off loopback",
      {
        oauth: {
          ...base.oauth,
          endpoints: { token: "http://acme.example/t", authorization: "https://acme.example/a" },
        },
      },
    ],
    [
      "a key provider without verification",
      {
        authTypes: ["api_key"],
        oauth: undefined,
        capabilities: { ...base.capabilities, pkce: false, refresh: false, issuesShortLivedTokens: false },
      },
    ],
    [
      "an unknown template placeholder",
      { injection: { in: "header", name: "x-key", template: "{secret}:{extra.nope}" } },
    ],
  ])("refuses %s", (_what, patch) => {
    expect(issues({ ...base, ...patch })).not.toEqual([]);
  });
});

describe("defineOidcProvider", () => {
  it("validates a runtime provider like a catalog one", () => {
    const provider = defineOidcProvider({
      id: "acme-sso",
      label: "Acme SSO",
      issuer: "https://sso.acme.example",
      apiOrigins: ["https://api.acme.example"],
      defaultScopes: ["api"],
    });
    expect(provider.oauth?.discovery).toEqual({ issuer: "https://sso.acme.example", algorithm: "oidc" });
    expect(provider.oauth?.baseScopes).toEqual(["openid", "email", "profile"]);
    expect(provider.services[0]?.id).toBe("acme-sso-api");
  });

  it("refuses an http issuer that is not loopback, and an API without origins", () => {
    const options = { id: "acme-sso", label: "Acme", apiOrigins: ["https://api.acme.example"] };
    expect(() => defineOidcProvider({ ...options, issuer: "http://sso.acme.example" })).toThrow(ZodError);
    expect(() =>
      defineOidcProvider({ ...options, issuer: "https://sso.acme.example", apiOrigins: [] }),
    ).toThrow(ZodError);
  });
});
