"use client";
import type { Page } from "@agenthifive/contracts";
import { useQuery } from "@tanstack/react-query";
import { QueryState } from "@/components/ui/feedback";
import { api } from "@/lib/api-client";
import { formatDate } from "@/lib/format";

interface PolicyVersion {
  version: number;
  document: Record<string, unknown>;
  change: string;
  changedBy: string | null;
  changedAt: string;
}

/** Every saved version of a policy (GET /v1/policies/{id}/versions), newest first. */
export function PolicyHistory({ policyId, currentVersion }: { policyId: string; currentVersion: number }) {
  const q = useQuery({
    queryKey: ["policies", "versions", policyId, currentVersion],
    queryFn: () => api<Page<PolicyVersion>>(`/v1/policies/${policyId}/versions`, { query: { limit: 50 } }),
  });
  return (
    <details className="rounded-lg border border-zinc-200 p-3 text-sm dark:border-zinc-800">
      <summary className="cursor-pointer font-medium">Version history</summary>
      <div className="mt-2">
        <QueryState query={q}>
          {(d) => (
            <ol className="space-y-2">
              {d.items.map((v) => (
                <li key={v.version}>
                  <details>
                    <summary className="cursor-pointer">
                      v{v.version} · {v.change} · {formatDate(v.changedAt)}
                    </summary>
                    <pre className="mt-1 max-h-64 overflow-auto rounded bg-zinc-50 p-2 text-xs dark:bg-zinc-950">
                      {JSON.stringify(v.document, null, 2)}
                    </pre>
                  </details>
                </li>
              ))}
            </ol>
          )}
        </QueryState>
      </div>
    </details>
  );
}
