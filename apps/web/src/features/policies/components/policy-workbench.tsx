"use client";
import Link from "next/link";
import { useCallback, useMemo, useState } from "react";
import { EmptyState, ErrorAlert, Loading } from "@/components/ui/feedback";
import { SelectField } from "@/components/ui/field";
import { Card } from "@/components/ui/layout";
import { useAgents } from "@/features/agents/hooks/use-agents";
import type { CatalogEntry } from "@/features/connections/catalog";
import { useConnections } from "@/features/connections/hooks/use-connections";
import { usePolicies } from "../hooks/use-policies";
import { PoliciesTable } from "./policies-table";
import { PolicyPanel } from "./policy-panel";

export function PolicyWorkbench({
  catalog,
  initialAgentId,
  initialConnectionId,
}: {
  catalog: CatalogEntry[];
  initialAgentId?: string;
  initialConnectionId?: string;
}) {
  const agents = useAgents();
  const connections = useConnections();
  const all = usePolicies();
  const [agentId, setAgentId] = useState(initialAgentId ?? "");
  const [connectionId, setConnectionId] = useState(initialConnectionId ?? "");

  const pick = useCallback((a: string, c: string) => {
    setAgentId(a);
    setConnectionId(c);
  }, []);

  const agentList = agents.data?.items ?? [];
  const connectionList = (connections.data?.items ?? []).filter((c) => c.status !== "revoked");
  const effectiveAgent = agentId || agentList[0]?.id || "";
  const effectiveConnection = connectionId || connectionList[0]?.id || "";
  const connection = connectionList.find((c) => c.id === effectiveConnection);
  const origins = useMemo(() => {
    const entry = catalog.find((e) => e.id === connection?.provider);
    const service = entry?.services.find((s) => s.id === connection?.service) ?? entry?.services[0];
    return service?.apiOrigins ?? [];
  }, [catalog, connection]);

  if (agents.isPending || connections.isPending) return <Loading />;
  if (agents.error || connections.error) return <ErrorAlert error={agents.error ?? connections.error} />;
  if (!agentList.length || !connectionList.length) {
    return (
      <EmptyState title="A policy binds an agent to a connection">
        {!connectionList.length ? (
          <Link className="text-indigo-600 underline" href="/connections">
            Connect an account first.
          </Link>
        ) : (
          <Link className="text-indigo-600 underline" href="/agents">
            Create an agent first.
          </Link>
        )}
      </EmptyState>
    );
  }

  const existing = all.data?.items.find(
    (p) => p.agentId === effectiveAgent && p.connectionId === effectiveConnection,
  );
  return (
    <div className="space-y-6">
      <Card title="Agent and connection">
        <div className="grid gap-3 sm:grid-cols-2">
          <SelectField
            label="Agent"
            value={effectiveAgent}
            onChange={(e) => setAgentId(e.target.value)}
            options={agentList.map((a) => ({ value: a.id, label: a.name }))}
          />
          <SelectField
            label="Connection"
            value={effectiveConnection}
            onChange={(e) => setConnectionId(e.target.value)}
            options={connectionList.map((c) => ({ value: c.id, label: `${c.label} (${c.provider})` }))}
          />
        </div>
      </Card>
      {all.isPending ? (
        <Loading />
      ) : (
        <PolicyPanel
          key={`${effectiveAgent}:${effectiveConnection}:${existing?.id ?? "new"}`}
          agentId={effectiveAgent}
          connectionId={effectiveConnection}
          provider={connection?.provider ?? ""}
          service={connection?.service ?? ""}
          origins={origins}
          policy={existing}
        />
      )}
      <PoliciesTable
        policies={all.data?.items ?? []}
        agents={agentList}
        connections={connectionList}
        onEdit={pick}
      />
    </div>
  );
}
