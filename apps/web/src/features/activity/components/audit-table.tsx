"use client";
import type { AuditEvent } from "@agenthifive/contracts";
import { Button } from "@/components/ui/button";
import { EmptyState, ErrorAlert, Loading } from "@/components/ui/feedback";
import { Badge, cell, Table } from "@/components/ui/layout";
import { formatDate, shortId } from "@/lib/format";
import type { AuditFilters } from "../api";
import { useAudit } from "../hooks/use-audit";

const DECISION_TONE = { allow: "green", deny: "red", require_approval: "amber" } as const;

function target(e: AuditEvent): string {
  const m = e.metadata as { target?: { method?: string; host?: string; path?: string } };
  if (m.target?.method && m.target.host) return `${m.target.method} ${m.target.host}${m.target.path ?? ""}`;
  return e.target ? `${e.target.type} ${shortId(e.target.id)}` : "";
}

export function AuditTable({
  filters,
  live,
  names,
}: {
  filters: AuditFilters;
  live: boolean;
  names: Map<string, string>;
}) {
  const q = useAudit(filters, live);
  if (q.isPending) return <Loading />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const rows = q.data.pages.flatMap((p) => p.items);
  if (!rows.length) return <EmptyState title="No activity matches">Try widening the filters.</EmptyState>;
  return (
    <div className="space-y-3">
      <Table caption="Audit events" head={["Time", "Actor", "Action", "Decision", "Target", "Result", "Seq"]}>
        {rows.map((e) => (
          <tr key={e.id}>
            <td className={`${cell} whitespace-nowrap`}>{formatDate(e.occurredAt)}</td>
            <td className={cell}>
              {e.actor.kind}
              <div className="text-xs text-zinc-500">
                {(e.actor.id && names.get(e.actor.id)) ?? shortId(e.actor.id)}
              </div>
            </td>
            <td className={`${cell} font-mono text-xs`}>{e.action}</td>
            <td className={cell}>
              {e.decision ? (
                <Badge tone={DECISION_TONE[e.decision]}>{e.decision.replace("_", " ")}</Badge>
              ) : (
                "—"
              )}
            </td>
            <td className={`${cell} max-w-xs break-all font-mono text-xs`}>{target(e)}</td>
            <td className={cell}>
              {e.outcome}
              {e.code ? <div className="font-mono text-xs text-zinc-500">{e.code}</div> : null}
              {e.providerStatus ? <div className="text-xs text-zinc-500">HTTP {e.providerStatus}</div> : null}
            </td>
            <td className={`${cell} text-xs text-zinc-500`}>{e.seq ?? "…"}</td>
          </tr>
        ))}
      </Table>
      {q.hasNextPage ? (
        <Button variant="secondary" busy={q.isFetchingNextPage} onClick={() => q.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </div>
  );
}
