"use client";
import type { AuditEvent, Page } from "@agenthifive/contracts";
import { useQuery } from "@tanstack/react-query";
import { ErrorAlert, Loading } from "@/components/ui/feedback";
import { Card } from "@/components/ui/layout";
import { api } from "@/lib/api-client";
import { bucketByDay, type Kind, totalsBy } from "../stats";

const DAYS = 7;
const ACTIONS = [
  "vault.executed",
  "vault.token_vended",
  "vault.denied",
  "vault.failed",
  "vault.approval_requested",
];
const COLORS: Record<Kind, string> = {
  calls: "fill-emerald-500",
  denials: "fill-red-500",
  approvals: "fill-amber-400",
};
const DOT: Record<Kind, string> = {
  calls: "bg-emerald-500",
  denials: "bg-red-500",
  approvals: "bg-amber-400",
};
const KINDS: Kind[] = ["calls", "denials", "approvals"];

async function recentVaultEvents(): Promise<AuditEvent[]> {
  const from = new Date(Date.now() - DAYS * 86_400_000).toISOString();
  const out: AuditEvent[] = [];
  let cursor: string | undefined;
  // Up to 1,000 events: enough for a dashboard glance, bounded for the API.
  for (let i = 0; i < 5; i++) {
    const page = await api<Page<AuditEvent>>("/v1/audit", {
      query: { action: ACTIONS, from, limit: 200, cursor },
    });
    out.push(...page.items);
    if (!page.nextCursor) break;
    cursor = page.nextCursor;
  }
  return out;
}

function Legend() {
  return (
    <p className="flex gap-4 text-xs text-zinc-600 dark:text-zinc-400">
      {KINDS.map((k) => (
        <span key={k} className="inline-flex items-center gap-1">
          <span className={`h-2 w-2 rounded-sm ${DOT[k]}`} aria-hidden="true" />
          {k}
        </span>
      ))}
    </p>
  );
}

export function ActivityCharts({
  agentNames,
  connectionLabels,
}: {
  agentNames: Map<string, string>;
  connectionLabels: Map<string, string>;
}) {
  const q = useQuery({ queryKey: ["audit", "charts"], queryFn: recentVaultEvents, refetchInterval: 30_000 });
  if (q.isPending) return <Loading label="Loading charts…" />;
  if (q.error) return <ErrorAlert error={q.error} />;
  const days = bucketByDay(q.data, DAYS);
  const max = Math.max(1, ...days.map((d) => d.calls + d.denials + d.approvals));
  const byAgent = totalsBy(q.data, (e) => e.agentId).slice(0, 5);
  const byConnection = totalsBy(q.data, (e) => e.connectionId).slice(0, 5);
  const barW = 100 / DAYS;
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <Card title="Last 7 days" className="lg:col-span-1">
        <svg
          viewBox="0 0 100 60"
          role="img"
          aria-label="Calls, denials and approvals per day"
          className="h-40 w-full"
        >
          {days.map((d, i) => {
            let y = 56;
            return (
              <g key={d.day}>
                {KINDS.map((k) => {
                  const h = (d[k] / max) * 52;
                  y -= h;
                  return h > 0 ? (
                    <rect key={k} x={i * barW + 2} y={y} width={barW - 4} height={h} className={COLORS[k]}>
                      <title>{`${d.day}: ${d[k]} ${k}`}</title>
                    </rect>
                  ) : null;
                })}
                <text x={i * barW + barW / 2} y={60} textAnchor="middle" className="fill-zinc-500 text-[3px]">
                  {d.day.slice(5)}
                </text>
              </g>
            );
          })}
        </svg>
        <Legend />
        <table className="sr-only">
          <caption>Per day</caption>
          <tbody>
            {days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                <td>{d.calls} calls</td>
                <td>{d.denials} denials</td>
                <td>{d.approvals} approvals</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
      <Breakdown title="By agent" rows={byAgent} names={agentNames} />
      <Breakdown title="By connection" rows={byConnection} names={connectionLabels} />
    </div>
  );
}

function Breakdown({
  title,
  rows,
  names,
}: {
  title: string;
  rows: ReturnType<typeof totalsBy>;
  names: Map<string, string>;
}) {
  const max = Math.max(1, ...rows.map((r) => r.total));
  return (
    <Card title={title}>
      {rows.length === 0 ? <p className="text-sm text-zinc-500">No agent calls in the last 7 days.</p> : null}
      <ul className="space-y-2">
        {rows.map((r) => (
          <li key={r.key} className="text-sm">
            <div className="flex justify-between">
              <span className="truncate">{names.get(r.key) ?? r.key.slice(-8)}</span>
              <span className="text-xs text-zinc-500">
                {r.counts.calls} / {r.counts.denials} / {r.counts.approvals}
              </span>
            </div>
            <div
              className="mt-1 flex h-2 overflow-hidden rounded bg-zinc-100 dark:bg-zinc-800"
              aria-hidden="true"
            >
              {KINDS.map((k) => (
                <span key={k} className={DOT[k]} style={{ width: `${(r.counts[k] / max) * 100}%` }} />
              ))}
            </div>
          </li>
        ))}
      </ul>
    </Card>
  );
}
