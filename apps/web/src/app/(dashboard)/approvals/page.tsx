import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { ApprovalsView } from "@/features/approvals/components/approvals-view";
import { PermissionRequests } from "@/features/permission-requests/components/permission-requests";

export const metadata: Metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Approvals"
        description="Requests your policies marked for a human. Approving lets the agent send exactly this request once."
      />
      <PermissionRequests />
      <ApprovalsView />
    </div>
  );
}
