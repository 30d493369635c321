import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { ActivityView } from "@/features/activity/components/activity-view";

export const metadata: Metadata = { title: "Activity" };

export default function ActivityPage() {
  return (
    <div>
      <PageHeader
        title="Activity"
        description="Every call, denial, approval and admin action, in a tamper-evident hash chain."
      />
      <ActivityView />
    </div>
  );
}
