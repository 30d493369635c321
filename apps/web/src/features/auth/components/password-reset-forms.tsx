"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "@/components/ui/button";
import { ErrorAlert, Notice } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import type { ApiError } from "@/lib/api-error";
import { authClient } from "@/lib/auth-client";
import { fromAuthError } from "../auth-error";
import { ForgotPasswordSchema, ResetPasswordSchema } from "../schemas";
import { DevMailbox } from "./dev-mailbox";

export function ForgotPasswordForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const form = useForm<z.infer<typeof ForgotPasswordSchema>>({
    resolver: zodResolver(ForgotPasswordSchema),
    defaultValues: { email: "" },
  });
  const onSubmit = form.handleSubmit(async ({ email }) => {
    setError(null);
    const { error: e } = await authClient.requestPasswordReset({
      email,
      redirectTo: `${window.location.origin}/reset-password`,
    });
    if (e) setError(fromAuthError(e));
    else setSentTo(email);
  });
  return (
    <div className="space-y-4">
      <h1 className="text-xl font-semibold">Reset your password</h1>
      {sentTo ? (
        <>
          <Notice tone="success">If an account exists for {sentTo}, we mailed it a reset link.</Notice>
          <DevMailbox email={sentTo} kind="reset_password" />
        </>
      ) : (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <TextField
            label="Email"
            type="email"
            autoComplete="email"
            error={form.formState.errors.email?.message}
            {...form.register("email")}
          />
          <ErrorAlert error={error} />
          <Button type="submit" busy={form.formState.isSubmitting} className="w-full">
            Send reset link
          </Button>
        </form>
      )}
      <Link href="/sign-in" className="text-sm text-indigo-600 hover:underline dark:text-indigo-400">
        Back to sign in
      </Link>
    </div>
  );
}

export function ResetPasswordForm() {
  const router = useRouter();
  const params = useSearchParams();
  const token = params.get("token");
  const [error, setError] = useState<ApiError | null>(null);
  const form = useForm<z.infer<typeof ResetPasswordSchema>>({
    resolver: zodResolver(ResetPasswordSchema),
    defaultValues: { password: "" },
  });
  const onSubmit = form.handleSubmit(async ({ password }) => {
    if (!token) return;
    setError(null);
    const { error: e } = await authClient.resetPassword({ newPassword: password, token });
    if (e) setError(fromAuthError(e));
    else router.replace("/sign-in?reset=1");
  });
  if (!token || params.get("error")) {
    return (
      <div className="space-y-4">
        <h1 className="text-xl font-semibold">Link expired</h1>
        <p className="text-sm">This reset link is invalid or was already used.</p>
        <Link
          href="/forgot-password"
          className="text-sm text-indigo-600 hover:underline dark:text-indigo-400"
        >
          Ask for a new link
        </Link>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      <h1 className="text-xl font-semibold">Choose a new password</h1>
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        error={form.formState.errors.password?.message}
        {...form.register("password")}
      />
      <ErrorAlert error={error} />
      <Button type="submit" busy={form.formState.isSubmitting} className="w-full">
        Save password
      </Button>
    </form>
  );
}
