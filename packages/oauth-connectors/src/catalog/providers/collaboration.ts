import type { ProviderDefinitionInput } from "../schema.js";

/**
 * Slack OAuth v2 installs a bot: the token response carries a `bot` token and the workspace
 * (team) is the account. Slack answers errors with HTTP 200 and `ok: false`, separates scopes
 * with commas, and has no PKCE or device flow. Tokens do not expire unless the app opts into
 * token rotation (then the response simply carries refresh_token/expires_in, which we honour).
 * A pasted bot token (`xoxb-…`) is verified with `auth.test`.
 */
export const slack = {
  id: "slack",
  label: "Slack",
  authTypes: ["oauth", "bot_token"],
  capabilities: {
    pkce: false,
    deviceFlow: false,
    refresh: false,
    revoke: true,
    refreshTokenRotation: false,
    scopeNarrowing: false,
    issuesShortLivedTokens: false,
  },
  oauth: {
    endpoints: {
      authorization: "https://slack.com/oauth/v2/authorize",
      token: "https://slack.com/api/oauth.v2.access",
      revocation: "https://slack.com/api/auth.revoke",
    },
    scopeSeparator: ",",
    tokenTypes: ["bot"],
    quirks: { errorsWithStatus200: true },
    errorAliases: {
      invalid_code: "invalid_grant",
      code_already_used: "invalid_grant",
      invalid_refresh_token: "invalid_grant",
      token_revoked: "invalid_grant",
      token_expired: "invalid_grant",
      invalid_client_id: "invalid_client",
      bad_client_secret: "invalid_client",
      bad_redirect_uri: "invalid_client",
    },
    identity: { tokenResponse: { id: "team.id", name: "team.name" } },
  },
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  verification: {
    method: "POST",
    url: "https://slack.com/api/auth.test",
    successPath: "ok",
    accountId: "team_id",
    label: "team",
  },
  services: [
    {
      id: "slack-workspace",
      label: "Slack workspace",
      defaultScopes: ["channels:read", "chat:write", "users:read"],
      allowedScopes: [
        "channels:read",
        "channels:history",
        "groups:read",
        "groups:history",
        "im:read",
        "im:history",
        "im:write",
        "mpim:read",
        "mpim:history",
        "chat:write",
        "reactions:write",
        "files:read",
        "files:write",
        "users:read",
        "users:read.email",
        "team:read",
      ],
      apiOrigins: ["https://slack.com", "https://files.slack.com"],
    },
  ],
} satisfies ProviderDefinitionInput;

/**
 * Notion public integrations: no scopes (access is what the user shares), a JSON token request
 * with HTTP Basic client authentication, long-lived tokens, and the account (bot, workspace,
 * owner) described in the token response itself.
 */
export const notion = {
  id: "notion",
  label: "Notion",
  authTypes: ["oauth"],
  capabilities: {
    pkce: false,
    deviceFlow: false,
    refresh: false,
    revoke: false,
    refreshTokenRotation: false,
    scopeNarrowing: false,
    issuesShortLivedTokens: false,
  },
  oauth: {
    endpoints: {
      authorization: "https://api.notion.com/v1/oauth/authorize",
      token: "https://api.notion.com/v1/oauth/token",
    },
    authorizationParams: { owner: "user" },
    quirks: { jsonTokenRequest: true },
    identity: {
      tokenResponse: { id: "bot_id", email: "owner.user.person.email", name: "workspace_name" },
    },
  },
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  services: [
    {
      id: "notion-workspace",
      label: "Notion workspace",
      defaultScopes: [],
      allowedScopes: [],
      apiOrigins: ["https://api.notion.com"],
    },
  ],
} satisfies ProviderDefinitionInput;

/**
 * GitHub OAuth App: scopes, device flow (when enabled on the app), PKCE, tokens that do not
 * expire and so no refresh. Errors come back as HTTP 200 with an `error` field. GitHub's grant
 * deletion is a REST call with Basic auth, not RFC 7009, so `revoke` is off.
 */
export const github = {
  id: "github",
  label: "GitHub",
  authTypes: ["oauth", "device"],
  capabilities: {
    pkce: true,
    deviceFlow: true,
    refresh: false,
    revoke: false,
    refreshTokenRotation: false,
    scopeNarrowing: false,
    issuesShortLivedTokens: false,
  },
  oauth: {
    endpoints: {
      authorization: "https://github.com/login/oauth/authorize",
      token: "https://github.com/login/oauth/access_token",
      deviceAuthorization: "https://github.com/login/device/code",
    },
    scopeSeparator: ",",
    quirks: { errorsWithStatus200: true },
    errorAliases: {
      bad_verification_code: "invalid_grant",
      bad_refresh_token: "invalid_grant",
      incorrect_device_code: "invalid_grant",
      incorrect_client_credentials: "invalid_client",
      redirect_uri_mismatch: "invalid_client",
      device_flow_disabled: "unauthorized_client",
      unverified_user_email: "access_denied",
    },
    identity: {
      profile: {
        url: "https://api.github.com/user",
        headers: { accept: "application/vnd.github+json", "user-agent": "AgentHiFive" },
        fields: { id: "id", email: "email", name: ["name", "login"] },
      },
    },
  },
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  services: [
    {
      id: "github-repos",
      label: "GitHub repositories",
      defaultScopes: ["repo"],
      allowedScopes: ["repo", "public_repo", "read:org", "workflow", "gist", "notifications", "read:user"],
      apiOrigins: ["https://api.github.com", "https://uploads.github.com"],
    },
  ],
} satisfies ProviderDefinitionInput;

/**
 * Atlassian Cloud (3LO) for Jira: `audience` and `prompt=consent` are mandatory, the token
 * request is JSON, refresh tokens rotate (with `offline_access`), no PKCE, no revocation
 * endpoint. API calls go through api.atlassian.com with the site's cloud id in the path.
 */
export const atlassian = {
  id: "atlassian",
  label: "Atlassian (Jira)",
  authTypes: ["oauth"],
  capabilities: {
    pkce: false,
    deviceFlow: false,
    refresh: true,
    revoke: false,
    refreshTokenRotation: true,
    scopeNarrowing: false,
    issuesShortLivedTokens: true,
  },
  oauth: {
    endpoints: {
      authorization: "https://auth.atlassian.com/authorize",
      token: "https://auth.atlassian.com/oauth/token",
    },
    clientAuth: "client_secret_post",
    baseScopes: ["offline_access", "read:me"],
    authorizationParams: { audience: "api.atlassian.com", prompt: "consent" },
    quirks: { jsonTokenRequest: true },
    identity: {
      profile: {
        url: "https://api.atlassian.com/me",
        fields: { id: "account_id", email: "email", name: "name" },
      },
    },
  },
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  services: [
    {
      id: "atlassian-jira",
      label: "Jira",
      defaultScopes: ["read:jira-work", "read:jira-user"],
      allowedScopes: ["read:jira-work", "read:jira-user", "write:jira-work", "manage:jira-project"],
      apiOrigins: ["https://api.atlassian.com"],
    },
  ],
} satisfies ProviderDefinitionInput;
