"use client";
import { EmptyState, QueryState } from "@/components/ui/feedback";
import { Table } from "@/components/ui/layout";
import { useConnections } from "../hooks/use-connections";
import { ConnectionRow } from "./connection-row";

export function ConnectionsTable() {
  const q = useConnections();
  return (
    <QueryState
      query={q}
      empty={(d) =>
        d.items.length ? null : (
          <EmptyState title="No connections yet">
            Connect an account below; agents never see its credentials.
          </EmptyState>
        )
      }
    >
      {(d) => (
        <Table caption="Connections" head={["Connection", "Provider", "Status", "Last used", "Actions"]}>
          {d.items.map((c) => (
            <ConnectionRow key={c.id} connection={c} />
          ))}
        </Table>
      )}
    </QueryState>
  );
}
