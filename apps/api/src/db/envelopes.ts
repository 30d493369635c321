/**
 * The workspace-owned columns holding encrypted envelopes (AAD `<table>:<id>:<workspaceId>`):
 * one list for the re-encryption job and the key status report, so neither misses a table.
 */
export const WORKSPACE_ENVELOPE_COLUMNS = [
  { name: "connections", table: "t_connections", column: "credential_envelope" },
  { name: "oauthApps", table: "t_workspace_oauth_apps", column: "client_secret_envelope" },
  { name: "channels", table: "t_notification_channels", column: "config_envelope" },
] as const;
