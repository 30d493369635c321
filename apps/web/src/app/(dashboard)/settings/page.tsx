import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/layout";
import { connectionCatalog } from "@/features/connections/catalog";
import { ChannelsSection } from "@/features/settings/components/channels-section";
import { KeysSection } from "@/features/settings/components/keys-section";
import { MembersSection } from "@/features/settings/components/members-section";
import { OAuthAppsSection } from "@/features/settings/components/oauth-apps-section";
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
      <KeysSection />
      <OAuthAppsSection
        providers={connectionCatalog()
          .filter((p) => p.authTypes.includes("oauth") && p.id !== "generic")
          .map((p) => ({ id: p.id, label: p.label }))}
      />
    </div>
  );
}
