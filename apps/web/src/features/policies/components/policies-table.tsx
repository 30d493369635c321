"use client";
import type { Agent, Connection, Policy } from "@agenthifive/contracts";
import { Button } from "@/components/ui/button";
import { Badge, cell, Table } from "@/components/ui/layout";
import { formatDate } from "@/lib/format";

export function PoliciesTable({
  policies,
  agents,
  connections,
  onEdit,
}: {
  policies: Policy[];
  agents: Agent[];
  connections: Connection[];
  onEdit: (agentId: string, connectionId: string) => void;
}) {
  if (!policies.length) return null;
  const agentName = new Map(agents.map((a) => [a.id, a.name]));
  const connLabel = new Map(connections.map((c) => [c.id, c.label]));
  return (
    <section aria-label="All policies" className="space-y-2">
      <h2 className="text-lg font-semibold">All policies</h2>
      <Table caption="Policies" head={["Agent", "Connection", "Version", "State", "Updated", ""]}>
        {policies.map((p) => (
          <tr key={p.id}>
            <td className={cell}>{agentName.get(p.agentId) ?? p.agentId}</td>
            <td className={cell}>{connLabel.get(p.connectionId) ?? "(revoked connection)"}</td>
            <td className={cell}>v{p.version}</td>
            <td className={cell}>
              <Badge tone={p.enabled ? "green" : "zinc"}>{p.enabled ? "enabled" : "disabled"}</Badge>
            </td>
            <td className={cell}>{formatDate(p.updatedAt)}</td>
            <td className={cell}>
              <Button variant="ghost" onClick={() => onEdit(p.agentId, p.connectionId)}>
                Edit
              </Button>
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}
