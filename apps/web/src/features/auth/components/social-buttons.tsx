"use client";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import type { ApiError } from "@/lib/api-error";
import { authClient } from "@/lib/auth-client";
import { fromAuthError } from "../auth-error";
import { SOCIAL_LABELS } from "../social";

export function SocialButtons({ providers, next }: { providers: string[]; next: string }) {
  const [error, setError] = useState<ApiError | null>(null);
  if (!providers.length) return null;
  return (
    <div className="space-y-2">
      {providers.map((p) => (
        <Button
          key={p}
          variant="secondary"
          className="w-full"
          onClick={async () => {
            setError(null);
            const res = await authClient.signIn.social({
              provider: p,
              callbackURL: `${window.location.origin}${next}`,
              errorCallbackURL: `${window.location.origin}/sign-in`,
            });
            if (res?.error) setError(fromAuthError(res.error));
          }}
        >
          Continue with {SOCIAL_LABELS[p] ?? p}
        </Button>
      ))}
      <ErrorAlert error={error} />
    </div>
  );
}
