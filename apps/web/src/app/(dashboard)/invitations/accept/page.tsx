import type { Metadata } from "next";
import { Suspense } from "react";
import { AcceptInvitation } from "@/features/settings/components/accept-invitation";

export const metadata: Metadata = { title: "Join a workspace" };

export default function AcceptInvitationPage() {
  return (
    <div className="mx-auto max-w-lg">
      <Suspense>
        <AcceptInvitation />
      </Suspense>
    </div>
  );
}
