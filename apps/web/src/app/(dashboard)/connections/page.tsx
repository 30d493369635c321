import type { Metadata } from "next";
import { Suspense } from "react";
import { PageHeader } from "@/components/ui/layout";
import { connectionCatalog } from "@/features/connections/catalog";
import { AddConnection } from "@/features/connections/components/add-connection";
import { CallbackResult } from "@/features/connections/components/callback-result";
import { ConnectionsTable } from "@/features/connections/components/connections-table";

export const metadata: Metadata = { title: "Connections" };

export default function ConnectionsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Connections"
        description="Accounts you connected once. Agents act through them under a policy, never holding the credential."
      />
      <Suspense>
        <CallbackResult />
      </Suspense>
      <ConnectionsTable />
      <AddConnection catalog={connectionCatalog()} />
    </div>
  );
}
