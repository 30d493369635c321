import type { Approval, Page } from "@agenthifive/contracts";
import { api } from "@/lib/api-client";

export type ApprovalStatus = Approval["status"];

export const approvalKeys = {
  all: ["approvals"] as const,
  list: (status?: ApprovalStatus) => ["approvals", "list", status ?? "all"] as const,
};

export const listApprovals = (status?: ApprovalStatus) =>
  api<Page<Approval>>("/v1/approvals", { query: { status, limit: 200 } });

export const decideApproval = (id: string, decision: "approve" | "deny", note?: string) =>
  api<Approval>(`/v1/approvals/${id}/${decision}`, { method: "POST", body: note ? { note } : {} });
