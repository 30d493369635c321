import type { Page, PermissionRequest } from "@agenthifive/contracts";
import { api } from "@/lib/api-client";
import { isApiError } from "@/lib/api-error";

export const permissionRequestKeys = { all: ["permission-requests"] as const };

/** Pending requests from agents for capabilities they lack; `null` when the API lacks the route. */
export async function listPendingPermissionRequests(): Promise<PermissionRequest[] | null> {
  try {
    const page = await api<Page<PermissionRequest>>("/v1/permission-requests", {
      query: { status: "pending", limit: 200 },
    });
    return page.items;
  } catch (e) {
    if (isApiError(e) && e.status === 404) return null;
    throw e;
  }
}

export const approvePermissionRequest = (
  id: string,
  body: { connectionId: string; tier: string; comment?: string },
) => api<PermissionRequest>(`/v1/permission-requests/${id}/approve`, { method: "POST", body });

export const denyPermissionRequest = (id: string, note?: string) =>
  api<PermissionRequest>(`/v1/permission-requests/${id}/deny`, {
    method: "POST",
    body: note ? { note } : {},
  });
