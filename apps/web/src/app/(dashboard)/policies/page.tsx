import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { connectionCatalog } from "@/features/connections/catalog";
import { PolicyWorkbench } from "@/features/policies/components/policy-workbench";

export const metadata: Metadata = { title: "Policies" };

export default function PoliciesPage() {
  return (
    <div>
      <PageHeader
        title="Policies"
        description="What each agent may do with each connection: start from a preset, refine the rules, try a request."
      />
      <PolicyWorkbench catalog={connectionCatalog()} />
    </div>
  );
}
