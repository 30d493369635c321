import type { ProviderDefinitionInput } from "../schema.js";

const LOGIN = "https://login.microsoftonline.com/{tenant}/oauth2/v2.0";
const GRAPH = "https://graph.microsoft.com";

/**
 * Microsoft identity platform v2 with Microsoft Graph. Endpoints are static and templated by
 * tenant (`common` unless the OAuth app names one): discovery is not used because a multi-tenant
 * issuer is literally `https://login.microsoftonline.com/{tenantid}/v2.0`, which no id token
 * matches. For the same reason `openid` is not requested; the account comes from Graph `/me`.
 * Microsoft rotates refresh tokens on every refresh and has no RFC 7009 endpoint.
 */
export const microsoft = {
  id: "microsoft",
  label: "Microsoft 365",
  authTypes: ["oauth", "device"],
  capabilities: {
    pkce: true,
    deviceFlow: true,
    refresh: true,
    revoke: false,
    refreshTokenRotation: true,
    scopeNarrowing: true,
    issuesShortLivedTokens: true,
  },
  oauth: {
    endpoints: {
      authorization: `${LOGIN}/authorize`,
      token: `${LOGIN}/token`,
      deviceAuthorization: `${LOGIN}/devicecode`,
    },
    tenant: { default: "common" },
    clientAuth: "client_secret_post",
    baseScopes: ["offline_access", "User.Read"],
    identity: {
      profile: {
        url: `${GRAPH}/v1.0/me`,
        fields: { id: "id", email: ["mail", "userPrincipalName"], name: "displayName" },
      },
    },
  },
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  services: [
    {
      id: "microsoft-outlook-mail",
      label: "Outlook Mail",
      defaultScopes: ["Mail.Read"],
      allowedScopes: ["Mail.Read", "Mail.ReadWrite", "Mail.Send"],
      apiOrigins: [GRAPH],
    },
    {
      id: "microsoft-outlook-calendar",
      label: "Outlook Calendar",
      defaultScopes: ["Calendars.Read"],
      allowedScopes: ["Calendars.Read", "Calendars.ReadWrite"],
      apiOrigins: [GRAPH],
    },
    {
      id: "microsoft-outlook-contacts",
      label: "Outlook Contacts",
      defaultScopes: ["Contacts.Read"],
      allowedScopes: ["Contacts.Read", "Contacts.ReadWrite"],
      apiOrigins: [GRAPH],
    },
    {
      id: "microsoft-onedrive",
      label: "OneDrive",
      defaultScopes: ["Files.Read"],
      allowedScopes: ["Files.Read", "Files.Read.All", "Files.ReadWrite", "Files.ReadWrite.All"],
      apiOrigins: [GRAPH],
    },
    {
      id: "microsoft-teams",
      label: "Microsoft Teams",
      defaultScopes: ["Team.ReadBasic.All", "Channel.ReadBasic.All", "Chat.Read"],
      allowedScopes: [
        "Team.ReadBasic.All",
        "Channel.ReadBasic.All",
        "Chat.Read",
        "Chat.ReadWrite",
        "ChatMessage.Send",
        "ChannelMessage.Read.All",
        "ChannelMessage.Send",
      ],
      apiOrigins: [GRAPH],
    },
  ],
} satisfies ProviderDefinitionInput;
