import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { MembersSection } from "@/features/settings/components/members-section";
import { ChannelsSection, OAuthAppsSection } from "@/features/settings/components/optional-sections";
import { SecuritySection } from "@/features/settings/components/security-section";
import { TokensSection } from "@/features/settings/components/tokens-section";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return (
    <div className="space-y-6">
      <PageHeader
        title="Settings"
        description="Your sign-in methods, the workspace's people, and access for scripts."
      />
      <SecuritySection />
      <MembersSection />
      <TokensSection />
      <ChannelsSection />
      <OAuthAppsSection />
    </div>
  );
}
