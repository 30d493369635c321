"use client";
import type { PolicyDocument } from "@agenthifive/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createPolicy,
  createPolicyFromTemplate,
  deletePolicy,
  listPolicies,
  listTemplates,
  policyKeys,
  replacePolicy,
} from "../api";

export function usePolicies(agentId?: string, connectionId?: string) {
  return useQuery({
    queryKey: policyKeys.list(agentId, connectionId),
    queryFn: () => listPolicies(agentId, connectionId),
  });
}

export function useTemplates(provider?: string, service?: string) {
  return useQuery({
    queryKey: policyKeys.templates(provider, service),
    queryFn: () => listTemplates(provider, service),
    staleTime: 300_000,
  });
}

function useInvalidating<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: policyKeys.all }) });
}

export const useCreatePolicy = () => useInvalidating(createPolicy);
export const useCreateFromTemplate = () => useInvalidating(createPolicyFromTemplate);
export const useReplacePolicy = () =>
  useInvalidating((v: { id: string; version: number; document: PolicyDocument; enabled?: boolean }) =>
    replacePolicy(v.id, v.version, v.document, v.enabled),
  );
export const useDeletePolicy = () => useInvalidating(deletePolicy);
