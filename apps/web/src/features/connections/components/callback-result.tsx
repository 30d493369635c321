"use client";
import { useSearchParams } from "next/navigation";
import { Notice } from "@/components/ui/feedback";

const MESSAGES: Record<string, string> = {
  OAUTH_STATE_INVALID: "The sign-in link expired or belongs to another session. Start the connection again.",
  OAUTH_EXCHANGE_FAILED:
    "The provider refused to complete the connection. Try again, or check the OAuth app.",
  PROVIDER_NOT_CONFIGURED: "This provider has no OAuth app configured. Add one under Settings.",
};

/** The OAuth callback lands here with ?connectionId= or ?error=<CODE> (API.md §3.2). */
export function CallbackResult() {
  const params = useSearchParams();
  const error = params.get("error");
  if (error) {
    return (
      <Notice tone="warning">
        <strong>Connection failed ({error}).</strong> {MESSAGES[error] ?? "Try again."}
      </Notice>
    );
  }
  if (params.get("connectionId")) return <Notice tone="success">Account connected.</Notice>;
  return null;
}
