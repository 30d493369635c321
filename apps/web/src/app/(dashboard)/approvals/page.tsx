import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { ApprovalsView } from "@/features/approvals/components/approvals-view";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <div>
      <PageHeader
        title="Approvals"
        description="Requests your policies marked for a human. Approving lets the agent send exactly this request once."
      />
      <ApprovalsView />
    </div>
  );
}
