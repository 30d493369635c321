import type {
  Invitation,
  Member,
  Page,
  PersonalAccessToken,
  Scope,
  WorkspaceRole,
} from "@agenthifive/contracts";
import { api, idempotencyKey } from "@/lib/api-client";

export const settingsKeys = {
  members: ["members"] as const,
  invitations: ["invitations"] as const,
  tokens: ["tokens"] as const,
};

export const listMembers = () => api<Page<Member>>("/v1/members", { query: { limit: 200 } });
export const updateMemberRole = (userId: string, role: WorkspaceRole) =>
  api<Member>(`/v1/members/${userId}`, { method: "PATCH", body: { role } });
export const removeMember = (userId: string) => api<void>(`/v1/members/${userId}`, { method: "DELETE" });

export const listInvitations = () =>
  api<Page<Invitation>>("/v1/invitations", { query: { status: "pending", limit: 200 } });
export const createInvitation = (body: { email: string; role: WorkspaceRole }) =>
  api<Invitation>("/v1/invitations", {
    method: "POST",
    body,
    headers: { "idempotency-key": idempotencyKey() },
  });
export const revokeInvitation = (id: string) => api<void>(`/v1/invitations/${id}`, { method: "DELETE" });

export const listTokens = () => api<Page<PersonalAccessToken>>("/v1/tokens", { query: { limit: 200 } });
export const createToken = (body: { name: string; scopes: Scope[]; expiresInDays: number }) =>
  api<{ token: string; pat: PersonalAccessToken }>("/v1/tokens", {
    method: "POST",
    body,
    headers: { "idempotency-key": idempotencyKey() },
  });
export const revokeToken = (id: string) => api<void>(`/v1/tokens/${id}`, { method: "DELETE" });
