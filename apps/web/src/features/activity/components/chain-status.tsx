"use client";
import { ErrorAlert, Loading } from "@/components/ui/feedback";
import { useChainStatus } from "../hooks/use-audit";

export function ChainStatus({ live = false }: { live?: boolean }) {
  const q = useChainStatus(live);
  if (q.isPending) return <Loading label="Verifying the audit chain…" />;
  if (q.error) return <ErrorAlert error={q.error} title="Could not verify the audit chain" />;
  const s = q.data;
  return (
    <div
      role="status"
      data-testid="chain-status"
      data-ok={s.ok}
      className={`rounded-lg border p-4 text-sm ${
        s.ok
          ? "border-emerald-300 bg-emerald-50 text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100"
          : "border-red-300 bg-red-50 text-red-900 dark:border-red-800 dark:bg-red-950 dark:text-red-100"
      }`}
    >
      <p className="font-semibold">{s.ok ? "Audit chain verified" : "Audit chain broken"}</p>
      <p>
        {s.checked} record{s.checked === 1 ? "" : "s"} checked
        {s.firstSeq !== null ? ` (sequence ${s.firstSeq}–${s.lastSeq})` : ""}.
        {s.brokenAt ? ` First mismatch at sequence ${s.brokenAt.seq} (${s.brokenAt.id}).` : ""}
      </p>
    </div>
  );
}
