import type { EncryptedEnvelopeV1, EnvelopeEncryptor } from "@agenthifive/security";

/** What the envelope of a connection holds. Never logged, never returned. */
export interface StoredCredential {
  kind: "oauth" | "device" | "api_key" | "bot_token";
  /** API key or bot token. */
  secret?: string;
  accessToken?: string;
  refreshToken?: string;
  tokenType?: string;
  extra?: Record<string, string>;
}

/** AAD binding an envelope to its row and workspace (DATA-MODEL.md §1). */
export const connectionAad = (id: string, workspaceId: string) => `t_connections:${id}:${workspaceId}`;

export function openCredential(
  encryptor: EnvelopeEncryptor,
  envelope: EncryptedEnvelopeV1,
  id: string,
  workspaceId: string,
): StoredCredential {
  return encryptor.decryptJson<StoredCredential>(envelope, connectionAad(id, workspaceId));
}

export interface VerifiedKey {
  authType: "api_key" | "bot_token";
  service: string;
  providerLabel: string;
  accountId?: string;
  accountLabel?: string;
  metadata?: Record<string, unknown>;
}

/** Checks a pasted key with the provider (API_KEY_REJECTED / PROVIDER_UNAVAILABLE otherwise). */
export type ApiKeyVerifier = (input: {
  provider: string;
  service?: string;
  secret: string;
  extra?: Record<string, string>;
}) => Promise<VerifiedKey>;
