"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { DevMailbox } from "./dev-mailbox";
import { ResendVerification } from "./resend-verification";

export function CheckEmail() {
  const email = useSearchParams().get("email") ?? "";
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Check your email</h1>
      <p className="text-sm text-zinc-600 dark:text-zinc-300">
        We sent a verification link to <strong>{email || "your address"}</strong>. Open it to activate your
        account; you will be signed in.
      </p>
      {email ? <ResendVerification email={email} /> : null}
      {email ? <DevMailbox email={email} kind="verify_email" /> : null}
      <p className="text-sm">
        <Link href="/sign-in" className="text-indigo-600 hover:underline dark:text-indigo-400">
          Back to sign in
        </Link>
      </p>
    </div>
  );
}
