import type { Connection, Page } from "@agenthifive/contracts";
import { api, idempotencyKey } from "@/lib/api-client";

export const connectionKeys = {
  all: ["connections"] as const,
  list: () => ["connections", "list"] as const,
  device: (id: string) => ["connections", "device", id] as const,
};

export const listConnections = () => api<Page<Connection>>("/v1/connections", { query: { limit: 200 } });

export const renameConnection = (id: string, label: string) =>
  api<Connection>(`/v1/connections/${id}`, { method: "PATCH", body: { label } });

export const deleteConnection = (id: string) => api<void>(`/v1/connections/${id}`, { method: "DELETE" });

export interface ApiKeyInput {
  provider: string;
  service?: string;
  label?: string;
  secret: string;
  extra?: Record<string, string>;
}
export const createApiKeyConnection = (input: ApiKeyInput) =>
  api<Connection>("/v1/connections/api-key", {
    method: "POST",
    body: input,
    headers: { "idempotency-key": idempotencyKey() },
  });

export interface OAuthStart {
  authorizationUrl: string;
  pendingConnectionId: string;
  expiresAt: string;
}
export const startOAuth = (provider: string, body: { label?: string; returnTo?: string }) =>
  api<OAuthStart>(`/v1/oauth/${provider}/start`, { method: "POST", body });

export const reconnectConnection = (id: string, body: Record<string, unknown> = {}) =>
  api<OAuthStart | Connection>(`/v1/connections/${id}/reconnect`, { method: "POST", body });

export interface ConnectionTest {
  ok: boolean;
  status: string;
  checkedAt: string;
  accountId?: string;
  error?: { code: string; message: string };
}
export const testConnection = (id: string) =>
  api<ConnectionTest>(`/v1/connections/${id}/test`, { method: "POST" });

export interface DeviceStart {
  deviceFlowId: string;
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  expiresAt: string;
  interval: number;
}
export const startDeviceFlow = (provider: string, label?: string) =>
  api<DeviceStart>("/v1/connections/device/start", { method: "POST", body: { provider, label } });

export interface DeviceStatus {
  status: "pending" | "complete" | "denied" | "expired";
  connectionId?: string;
}
export const deviceFlowStatus = (id: string) => api<DeviceStatus>(`/v1/connections/device/${id}`);
