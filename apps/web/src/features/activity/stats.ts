import type { AuditEvent } from "@agenthifive/contracts";

export type Kind = "calls" | "denials" | "approvals";

/** Which chart series an audit action counts towards (or none). */
export function kindOf(action: string): Kind | null {
  if (action === "vault.executed" || action === "vault.token_vended") return "calls";
  if (action === "vault.denied" || action === "vault.failed") return "denials";
  if (action === "vault.approval_requested") return "approvals";
  return null;
}

export interface DayBucket {
  day: string;
  calls: number;
  denials: number;
  approvals: number;
}

/** Counts per UTC day for the last `days` days, oldest first (empty days included). */
export function bucketByDay(events: AuditEvent[], days: number, now = new Date()): DayBucket[] {
  const buckets = new Map<string, DayBucket>();
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - i));
    const day = d.toISOString().slice(0, 10);
    buckets.set(day, { day, calls: 0, denials: 0, approvals: 0 });
  }
  for (const e of events) {
    const kind = kindOf(e.action);
    const b = buckets.get(e.occurredAt.slice(0, 10));
    if (kind && b) b[kind]++;
  }
  return [...buckets.values()];
}

/** Totals per key (agent id or connection id), biggest first. */
export function totalsBy(
  events: AuditEvent[],
  key: (e: AuditEvent) => string | null,
): { key: string; counts: Record<Kind, number>; total: number }[] {
  const map = new Map<string, Record<Kind, number>>();
  for (const e of events) {
    const kind = kindOf(e.action);
    const k = key(e);
    if (!kind || !k) continue;
    const c = map.get(k) ?? { calls: 0, denials: 0, approvals: 0 };
    c[kind]++;
    map.set(k, c);
  }
  return [...map.entries()]
    .map(([k, counts]) => ({ key: k, counts, total: counts.calls + counts.denials + counts.approvals }))
    .sort((a, b) => b.total - a.total);
}
