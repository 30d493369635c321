"use client";
import { type QueryKey, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createInvitation,
  createToken,
  listInvitations,
  listMembers,
  listTokens,
  removeMember,
  revokeInvitation,
  revokeToken,
  settingsKeys,
  updateMemberRole,
} from "../api";

export const useMembers = () => useQuery({ queryKey: settingsKeys.members, queryFn: listMembers });
export const useInvitations = () =>
  useQuery({ queryKey: settingsKeys.invitations, queryFn: listInvitations });
export const useTokens = () => useQuery({ queryKey: settingsKeys.tokens, queryFn: listTokens });

function useInvalidating<V, R>(key: QueryKey, fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: key }) });
}

export const useUpdateRole = () =>
  useInvalidating(
    settingsKeys.members,
    (v: { userId: string; role: Parameters<typeof updateMemberRole>[1] }) =>
      updateMemberRole(v.userId, v.role),
  );
export const useRemoveMember = () => useInvalidating(settingsKeys.members, removeMember);
export const useInvite = () => useInvalidating(settingsKeys.invitations, createInvitation);
export const useRevokeInvitation = () => useInvalidating(settingsKeys.invitations, revokeInvitation);
export const useCreateToken = () => useInvalidating(settingsKeys.tokens, createToken);
export const useRevokeToken = () => useInvalidating(settingsKeys.tokens, revokeToken);
