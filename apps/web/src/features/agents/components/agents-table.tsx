"use client";
import { EmptyState, QueryState } from "@/components/ui/feedback";
import { Table } from "@/components/ui/layout";
import { useAgents } from "../hooks/use-agents";
import { AgentRow } from "./agent-row";

export function AgentsTable() {
  const q = useAgents();
  return (
    <QueryState
      query={q}
      empty={(d) =>
        d.items.length ? null : (
          <EmptyState title="No agents yet">
            Create one below and run its setup command where the agent lives.
          </EmptyState>
        )
      }
    >
      {(d) => (
        <Table caption="Agents" head={["Agent", "Status", "Key fingerprint", "Last activity", "Actions"]}>
          {d.items.map((a) => (
            <AgentRow key={a.id} agent={a} />
          ))}
        </Table>
      )}
    </QueryState>
  );
}
