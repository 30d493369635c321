"use client";
import type { Page } from "@agenthifive/contracts";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { getAccess } from "@/lib/access-token";
import { api } from "@/lib/api-client";

interface WorkspaceSummary {
  id: string;
  name: string;
  role: string;
}

export function WorkspaceSwitcher({ current }: { current: string }) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: ["workspaces"],
    queryFn: () => api<Page<WorkspaceSummary>>("/v1/workspaces", { query: { limit: 200 } }),
  });
  const items = q.data?.items ?? [];
  if (items.length <= 1) {
    return (
      <p className="truncate text-sm font-medium text-zinc-700 dark:text-zinc-300">{items[0]?.name ?? " "}</p>
    );
  }
  return (
    <label className="block text-xs text-zinc-500">
      Workspace
      <select
        value={current}
        onChange={async (e) => {
          await getAccess({ workspaceId: e.target.value });
          await qc.invalidateQueries();
        }}
        className="mt-1 block w-full rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
      >
        {items.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
    </label>
  );
}
