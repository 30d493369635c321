import type { ProviderDefinitionInput } from "../schema.js";

/** Providers reached with a pasted key: no OAuth, so every capability is off. */
const NO_OAUTH = {
  pkce: false,
  deviceFlow: false,
  refresh: false,
  revoke: false,
  refreshTokenRotation: false,
  scopeNarrowing: false,
  issuesShortLivedTokens: false,
} as const;

/** One pseudo-scope per key service (DATA-MODEL `scopes`): keys carry no provider scopes. */
function keyService(provider: string, label: string, origin: string) {
  const scope = `${provider}:api`;
  return {
    id: `${provider}-api`,
    label,
    defaultScopes: [scope],
    allowedScopes: [scope],
    apiOrigins: [origin],
  };
}

/** `GET /v1/models` is free, read-only and fails with 401 on a bad key; it names no account. */
export const openai = {
  id: "openai",
  label: "OpenAI",
  authTypes: ["api_key"],
  capabilities: NO_OAUTH,
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  verification: { method: "GET", url: "https://api.openai.com/v1/models" },
  services: [keyService("openai", "OpenAI API", "https://api.openai.com")],
} satisfies ProviderDefinitionInput;

export const anthropic = {
  id: "anthropic",
  label: "Anthropic",
  authTypes: ["api_key"],
  capabilities: NO_OAUTH,
  injection: { in: "header", name: "x-api-key" },
  verification: {
    method: "GET",
    url: "https://api.anthropic.com/v1/models",
    headers: { "anthropic-version": "2023-06-01" },
  },
  services: [keyService("anthropic", "Anthropic API", "https://api.anthropic.com")],
} satisfies ProviderDefinitionInput;

/** The header form of the key, so it never appears in a URL (and so never in a log line). */
export const gemini = {
  id: "gemini",
  label: "Google Gemini",
  authTypes: ["api_key"],
  capabilities: NO_OAUTH,
  injection: { in: "header", name: "x-goog-api-key" },
  verification: { method: "GET", url: "https://generativelanguage.googleapis.com/v1beta/models" },
  services: [keyService("gemini", "Gemini API", "https://generativelanguage.googleapis.com")],
} satisfies ProviderDefinitionInput;

/** `GET /api/v1/key` describes the key itself, including the label its owner gave it. */
export const openrouter = {
  id: "openrouter",
  label: "OpenRouter",
  authTypes: ["api_key"],
  capabilities: NO_OAUTH,
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  verification: { method: "GET", url: "https://openrouter.ai/api/v1/key", label: "data.label" },
  services: [keyService("openrouter", "OpenRouter API", "https://openrouter.ai")],
} satisfies ProviderDefinitionInput;

/**
 * Telegram puts the bot token in the path: `https://api.telegram.org/bot<token>/<method>`.
 * Requests name only the method (`/getMe`); injection adds the prefix. The bot id is the account.
 */
export const telegram = {
  id: "telegram",
  label: "Telegram bot",
  authTypes: ["bot_token"],
  capabilities: NO_OAUTH,
  injection: { in: "path", prefix: "/bot{secret}" },
  verification: {
    method: "GET",
    url: "https://api.telegram.org/getMe",
    successPath: "ok",
    accountId: "result.id",
    label: ["result.username", "result.first_name"],
  },
  services: [keyService("telegram", "Telegram Bot API", "https://api.telegram.org")],
} satisfies ProviderDefinitionInput;

/**
 * Trello's OAuth is 1.0a, which oauth4webapi (OAuth 2 only) does not do, so Trello connects
 * with an API key (non-secret, `extra.apiKey`) plus a user token (the secret), sent in Trello's
 * `Authorization: OAuth …` header form rather than in the query string.
 */
export const trello = {
  id: "trello",
  label: "Trello",
  authTypes: ["api_key"],
  capabilities: NO_OAUTH,
  extraFields: [{ name: "apiKey", label: "Trello API key", required: true }],
  injection: {
    in: "header",
    name: "authorization",
    template: 'OAuth oauth_consumer_key="{extra.apiKey}", oauth_token="{secret}"',
  },
  verification: {
    method: "GET",
    url: "https://api.trello.com/1/members/me",
    accountId: "id",
    label: ["fullName", "username"],
  },
  services: [keyService("trello", "Trello API", "https://api.trello.com")],
} satisfies ProviderDefinitionInput;

/**
 * Any HTTP API taking a static key in a header. The origin is the connection's own
 * (`extra.origin`, https), the header defaults to `Authorization: Bearer` and may be renamed
 * through `extra.headerName` / `extra.scheme`. There is no fixed endpoint to verify against.
 */
export const genericApiKey = {
  id: "generic-api-key",
  label: "Generic API key",
  authTypes: ["api_key"],
  capabilities: NO_OAUTH,
  customOrigin: true,
  extraFields: [
    { name: "origin", label: "API origin (https://…)", required: true },
    { name: "headerName", label: "Header name (default authorization)", required: false },
    { name: "scheme", label: "Scheme (default Bearer, empty for none)", required: false },
  ],
  injection: { in: "header", name: "authorization", scheme: "Bearer", configurable: true },
  services: [
    {
      id: "generic-api-key-http",
      label: "HTTP API",
      defaultScopes: ["generic-api-key:api"],
      allowedScopes: ["generic-api-key:api"],
      apiOrigins: [],
    },
  ],
} satisfies ProviderDefinitionInput;
