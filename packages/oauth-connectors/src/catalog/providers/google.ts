import type { ProviderDefinitionInput } from "../schema.js";

const G = "https://www.googleapis.com/auth";

/**
 * Google is a conformant OIDC provider, so its endpoints come from discovery (including
 * revocation). Device flow stays off: Google's limited-input flow only grants openid, email,
 * profile and drive.file / YouTube scopes, none of the services below. Refresh tokens do not
 * rotate; `access_type=offline` + `prompt=consent` is what makes Google return one at all, and
 * `include_granted_scopes` is deliberately not sent so a connection holds only its service's
 * scopes.
 */
export const google = {
  id: "google",
  label: "Google",
  authTypes: ["oauth"],
  capabilities: {
    pkce: true,
    deviceFlow: false,
    refresh: true,
    revoke: true,
    refreshTokenRotation: false,
    scopeNarrowing: true,
    issuesShortLivedTokens: true,
  },
  oauth: {
    discovery: { issuer: "https://accounts.google.com", algorithm: "oidc" },
    clientAuth: "client_secret_basic",
    baseScopes: ["openid", "email", "profile"],
    authorizationParams: { access_type: "offline", prompt: "consent" },
    identity: { profile: {} },
  },
  injection: { in: "header", name: "authorization", scheme: "Bearer" },
  services: [
    {
      id: "google-gmail",
      label: "Gmail",
      defaultScopes: [`${G}/gmail.readonly`],
      allowedScopes: [
        `${G}/gmail.readonly`,
        `${G}/gmail.metadata`,
        `${G}/gmail.labels`,
        `${G}/gmail.compose`,
        `${G}/gmail.send`,
        `${G}/gmail.modify`,
      ],
      apiOrigins: ["https://gmail.googleapis.com"],
    },
    {
      id: "google-calendar",
      label: "Google Calendar",
      defaultScopes: [`${G}/calendar.readonly`],
      allowedScopes: [
        `${G}/calendar.readonly`,
        `${G}/calendar.events.readonly`,
        `${G}/calendar.events`,
        `${G}/calendar`,
      ],
      apiOrigins: ["https://www.googleapis.com"],
    },
    {
      id: "google-drive",
      label: "Google Drive",
      defaultScopes: [`${G}/drive.readonly`],
      allowedScopes: [`${G}/drive.metadata.readonly`, `${G}/drive.readonly`, `${G}/drive.file`, `${G}/drive`],
      apiOrigins: ["https://www.googleapis.com"],
    },
    {
      id: "google-docs",
      label: "Google Docs",
      defaultScopes: [`${G}/documents.readonly`],
      allowedScopes: [`${G}/documents.readonly`, `${G}/documents`, `${G}/drive.file`],
      apiOrigins: ["https://docs.googleapis.com"],
    },
    {
      id: "google-sheets",
      label: "Google Sheets",
      defaultScopes: [`${G}/spreadsheets.readonly`],
      allowedScopes: [`${G}/spreadsheets.readonly`, `${G}/spreadsheets`, `${G}/drive.file`],
      apiOrigins: ["https://sheets.googleapis.com"],
    },
    {
      id: "google-contacts",
      label: "Google Contacts",
      defaultScopes: [`${G}/contacts.readonly`],
      allowedScopes: [`${G}/contacts.readonly`, `${G}/contacts.other.readonly`, `${G}/contacts`],
      apiOrigins: ["https://people.googleapis.com"],
    },
  ],
} satisfies ProviderDefinitionInput;
