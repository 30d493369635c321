import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { AgentsTable } from "@/features/agents/components/agents-table";
import { CreateAgentForm } from "@/features/agents/components/create-agent-form";

export const metadata: Metadata = { title: "Agents" };

export default function AgentsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Agents"
        description="Each agent enrolls its own key with a one-time secret and acts only through its policies."
      />
      <AgentsTable />
      <CreateAgentForm />
    </div>
  );
}
