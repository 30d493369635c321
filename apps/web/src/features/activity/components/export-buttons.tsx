"use client";
import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { type AuditFilters, downloadAuditExport } from "../api";

export function ExportButtons({ filters }: { filters: AuditFilters }) {
  const exp = useMutation({ mutationFn: (format: "csv" | "ndjson") => downloadAuditExport(filters, format) });
  return (
    <div className="space-y-2">
      <div className="flex gap-2">
        <Button
          variant="secondary"
          busy={exp.isPending && exp.variables === "csv"}
          onClick={() => exp.mutate("csv")}
        >
          Export CSV
        </Button>
        <Button
          variant="secondary"
          busy={exp.isPending && exp.variables === "ndjson"}
          onClick={() => exp.mutate("ndjson")}
        >
          Export NDJSON
        </Button>
      </div>
      {exp.data ? (
        <p className="text-xs text-zinc-500" role="status">
          Downloaded {exp.data}
        </p>
      ) : null}
      <ErrorAlert error={exp.error} />
    </div>
  );
}
