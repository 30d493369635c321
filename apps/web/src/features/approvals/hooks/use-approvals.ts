"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type ApprovalStatus, approvalKeys, decideApproval, listApprovals } from "../api";

export function useApprovals(status?: ApprovalStatus) {
  return useQuery({ queryKey: approvalKeys.list(status), queryFn: () => listApprovals(status) });
}

export function usePendingCount(): number | undefined {
  const q = useApprovals("pending");
  return q.data?.items.length;
}

export function useDecideApproval() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { id: string; decision: "approve" | "deny"; note?: string }) =>
      decideApproval(v.id, v.decision, v.note),
    onSettled: () => qc.invalidateQueries({ queryKey: approvalKeys.all }),
  });
}
