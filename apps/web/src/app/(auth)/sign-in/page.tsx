import type { Metadata } from "next";
import { Suspense } from "react";
import { SignInForm } from "@/features/auth/components/sign-in-form";
import { configuredSocialProviders } from "@/features/auth/social";

export const metadata: Metadata = { title: "Sign in" };
// Rendered per request so the social providers follow the running configuration.
export const dynamic = "force-dynamic";

export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm socialProviders={configuredSocialProviders()} />
    </Suspense>
  );
}
