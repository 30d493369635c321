import type { Metadata } from "next";
import { Suspense } from "react";
import { CheckEmail } from "@/features/auth/components/check-email";

export const metadata: Metadata = { title: "Check your email" };

export default function CheckEmailPage() {
  return (
    <Suspense>
      <CheckEmail />
    </Suspense>
  );
}
