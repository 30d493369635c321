"use client";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { useAgents } from "@/features/agents/hooks/use-agents";
import { useConnections } from "@/features/connections/hooks/use-connections";
import type { AuditFilters as Filters } from "../api";

interface FormValues {
  agentId: string;
  connectionId: string;
  action: string;
  decision: string;
  from: string;
  to: string;
  requestId: string;
}

const toIso = (local: string) => (local ? new Date(local).toISOString() : undefined);

export function AuditFilters({ onApply }: { onApply: (f: Filters) => void }) {
  const agents = useAgents();
  const connections = useConnections();
  const form = useForm<FormValues>({
    defaultValues: {
      agentId: "",
      connectionId: "",
      action: "",
      decision: "",
      from: "",
      to: "",
      requestId: "",
    },
  });
  const submit = form.handleSubmit((v) =>
    onApply({
      agentId: v.agentId || undefined,
      connectionId: v.connectionId || undefined,
      action: v.action.trim() || undefined,
      decision: (v.decision || undefined) as Filters["decision"],
      from: toIso(v.from),
      to: toIso(v.to),
      requestId: v.requestId.trim() || undefined,
    }),
  );
  return (
    <form onSubmit={submit} aria-label="Filter activity" className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
      <SelectField
        label="Agent"
        options={[
          { value: "", label: "Any agent" },
          ...(agents.data?.items ?? []).map((a) => ({ value: a.id, label: a.name })),
        ]}
        {...form.register("agentId")}
      />
      <SelectField
        label="Connection"
        options={[
          { value: "", label: "Any connection" },
          ...(connections.data?.items ?? []).map((c) => ({ value: c.id, label: c.label })),
        ]}
        {...form.register("connectionId")}
      />
      <TextField label="Action" placeholder="vault.executed" {...form.register("action")} />
      <SelectField
        label="Decision"
        options={[
          { value: "", label: "Any decision" },
          { value: "allow", label: "Allowed" },
          { value: "deny", label: "Denied" },
          { value: "require_approval", label: "Needed approval" },
        ]}
        {...form.register("decision")}
      />
      <TextField label="From" type="datetime-local" {...form.register("from")} />
      <TextField label="To" type="datetime-local" {...form.register("to")} />
      <TextField label="Request id" {...form.register("requestId")} />
      <div className="flex items-end gap-2">
        <Button type="submit">Apply filters</Button>
        <Button
          variant="ghost"
          onClick={() => {
            form.reset();
            onApply({});
          }}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
