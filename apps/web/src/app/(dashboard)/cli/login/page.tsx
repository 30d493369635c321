import type { Metadata } from "next";
import { Suspense } from "react";
import { CliLoginConfirm } from "@/features/settings/components/cli-login-confirm";

export const metadata: Metadata = { title: "Command line sign-in" };

export default function CliLoginPage() {
  return (
    <div className="mx-auto max-w-2xl">
      <Suspense>
        <CliLoginConfirm />
      </Suspense>
    </div>
  );
}
