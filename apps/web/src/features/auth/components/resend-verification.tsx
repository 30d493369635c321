"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Notice } from "@/components/ui/feedback";
import type { ApiError } from "@/lib/api-error";
import { authClient } from "@/lib/auth-client";
import { fromAuthError } from "../auth-error";

export function ResendVerification({ email }: { email: string }) {
  const [state, setState] = useState<"idle" | "busy" | "sent">("idle");
  const [error, setError] = useState<ApiError | null>(null);
  if (state === "sent") return <Notice tone="success">We sent a new verification link to {email}.</Notice>;
  return (
    <div className="space-y-2">
      <Button
        variant="secondary"
        busy={state === "busy"}
        onClick={async () => {
          setState("busy");
          const { error: e } = await authClient.sendVerificationEmail({
            email,
            callbackURL: `${window.location.origin}/overview`,
          });
          if (e) {
            setError(fromAuthError(e));
            setState("idle");
          } else setState("sent");
        }}
      >
        Send a new verification link
      </Button>
      <ErrorAlert error={error} />
    </div>
  );
}
