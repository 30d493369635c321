"use client";
import { useState } from "react";
import { Card } from "@/components/ui/layout";
import { useAgents } from "@/features/agents/hooks/use-agents";
import { useConnections } from "@/features/connections/hooks/use-connections";
import { useMembers } from "@/features/settings/hooks/use-settings";
import type { AuditFilters as Filters } from "../api";
import { ActivityCharts } from "./activity-charts";
import { AuditFilters } from "./audit-filters";
import { AuditTable } from "./audit-table";
import { ChainStatus } from "./chain-status";
import { ExportButtons } from "./export-buttons";

export function ActivityView() {
  const [filters, setFilters] = useState<Filters>({});
  const [live, setLive] = useState(true);
  const agents = useAgents();
  const connections = useConnections();
  const members = useMembers();
  const names = new Map(agents.data?.items.map((a) => [a.id, a.name]));
  const people = new Map([...names, ...(members.data?.items ?? []).map((m) => [m.userId, m.name] as const)]);
  const labels = new Map(connections.data?.items.map((c) => [c.id, c.label]));
  return (
    <div className="space-y-6">
      <div className="grid gap-4 lg:grid-cols-2">
        <ChainStatus live={live} />
        <Card title="Export">
          <ExportButtons filters={filters} />
        </Card>
      </div>
      <ActivityCharts agentNames={names} connectionLabels={labels} />
      <Card title="Filters">
        <AuditFilters onApply={setFilters} />
      </Card>
      <div className="flex items-center justify-between">
        <h2 className="text-lg font-semibold">Events</h2>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={live}
            onChange={(e) => setLive(e.target.checked)}
            className="h-4 w-4"
          />
          Live tail
        </label>
      </div>
      <AuditTable filters={filters} live={live} names={people} />
    </div>
  );
}
