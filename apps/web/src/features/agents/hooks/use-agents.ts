"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  agentKeys,
  createAgent,
  deleteAgent,
  issueBootstrapSecret,
  listAgents,
  revokeAgentTokens,
  setAgentEnabled,
} from "../api";

export function useAgents() {
  return useQuery({ queryKey: agentKeys.list(), queryFn: listAgents });
}

function useAgentMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: agentKeys.all }) });
}

export const useCreateAgent = () => useAgentMutation(createAgent);
export const useSetAgentEnabled = () =>
  useAgentMutation((v: { id: string; enabled: boolean }) => setAgentEnabled(v.id, v.enabled));
export const useDeleteAgent = () => useAgentMutation(deleteAgent);
export const useRevokeAgentTokens = () => useAgentMutation(revokeAgentTokens);
export const useIssueBootstrapSecret = () => useAgentMutation(issueBootstrapSecret);
