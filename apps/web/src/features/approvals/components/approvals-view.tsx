"use client";
import { useState } from "react";
import { EmptyState, QueryState } from "@/components/ui/feedback";
import { useConnections } from "@/features/connections/hooks/use-connections";
import type { ApprovalStatus } from "../api";
import { useApprovals } from "../hooks/use-approvals";
import { ApprovalCard } from "./approval-card";

const FILTERS: { value: ApprovalStatus | undefined; label: string }[] = [
  { value: "pending", label: "Pending" },
  { value: "approved", label: "Approved" },
  { value: "denied", label: "Denied" },
  { value: undefined, label: "All" },
];

export function ApprovalsView() {
  const [status, setStatus] = useState<ApprovalStatus | undefined>("pending");
  const q = useApprovals(status);
  const connections = useConnections();
  const labels = new Map(connections.data?.items.map((c) => [c.id, c.label]));
  return (
    <div className="space-y-4">
      <fieldset className="flex flex-wrap gap-1">
        <legend className="sr-only">Show</legend>
        {FILTERS.map((f) => (
          <button
            key={f.label}
            type="button"
            aria-pressed={status === f.value}
            onClick={() => setStatus(f.value)}
            className="rounded-md border border-zinc-300 px-3 py-1.5 text-sm aria-pressed:border-indigo-600 aria-pressed:bg-indigo-600 aria-pressed:text-white focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-zinc-700"
          >
            {f.label}
          </button>
        ))}
      </fieldset>
      <div aria-live="polite">
        <QueryState
          query={q}
          empty={(d) =>
            d.items.length ? null : (
              <EmptyState title={status === "pending" ? "Nothing waiting for you" : "No approvals"}>
                When a policy asks for a human, the request shows up here instantly.
              </EmptyState>
            )
          }
        >
          {(d) => (
            <div className="space-y-3">
              {d.items.map((a) => (
                <ApprovalCard key={a.id} approval={a} connectionLabel={labels.get(a.connectionId)} />
              ))}
            </div>
          )}
        </QueryState>
      </div>
    </div>
  );
}
