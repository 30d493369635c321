import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { FirstRunGuide } from "@/features/overview/components/first-run-guide";

export const metadata: Metadata = { title: "Overview" };

export default function OverviewPage() {
  return (
    <div>
      <PageHeader
        title="Overview"
        description="Delegate authority to agents without handing over your keys."
      />
      <FirstRunGuide />
    </div>
  );
}
