"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import {
  type ApiKeyInput,
  connectionKeys,
  createApiKeyConnection,
  deleteConnection,
  listConnections,
  renameConnection,
  testConnection,
} from "../api";

export function useConnections() {
  return useQuery({ queryKey: connectionKeys.list(), queryFn: listConnections });
}

function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: connectionKeys.all });
}

export function useRenameConnection() {
  const onSettled = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; label: string }) => renameConnection(v.id, v.label),
    onSettled,
  });
}

export function useDeleteConnection() {
  const onSettled = useInvalidate();
  return useMutation({ mutationFn: (id: string) => deleteConnection(id), onSettled });
}

export function useCreateApiKeyConnection() {
  const onSettled = useInvalidate();
  return useMutation({ mutationFn: (input: ApiKeyInput) => createApiKeyConnection(input), onSettled });
}

export function useTestConnection() {
  const onSettled = useInvalidate();
  return useMutation({ mutationFn: (id: string) => testConnection(id), onSettled });
}
