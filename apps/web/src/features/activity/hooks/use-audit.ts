"use client";
import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { type AuditFilters, auditKeys, listAudit, verifyChain } from "../api";

export function useAudit(filters: AuditFilters, live: boolean) {
  return useInfiniteQuery({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam }) => listAudit(filters, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: live ? 5_000 : false,
  });
}

export function useChainStatus(live = false) {
  return useQuery({
    queryKey: auditKeys.verify(),
    queryFn: verifyChain,
    staleTime: 10_000,
    refetchInterval: live ? 15_000 : false,
  });
}
