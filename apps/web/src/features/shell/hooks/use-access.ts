"use client";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { getAccess, onAccessChange } from "@/lib/access-token";

/** The signed-in user's workspace, role and scopes, from the current API JWT exchange. */
export function useAccess() {
  const qc = useQueryClient();
  useEffect(
    () =>
      onAccessChange((a) => {
        if (a) qc.setQueryData(["access"], a);
      }),
    [qc],
  );
  return useQuery({ queryKey: ["access"], queryFn: () => getAccess(), staleTime: 60_000, retry: false });
}

export function useHasScope(scope: string): boolean {
  const { data } = useAccess();
  return data?.scopes.includes(scope as never) ?? false;
}
