"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import { clearAccess } from "@/lib/access-token";
import type { ApiError } from "@/lib/api-error";
import { authClient } from "@/lib/auth-client";
import { fromAuthError } from "../auth-error";
import { useSafeNext } from "../hooks/use-safe-next";
import { type SignInInput, SignInSchema } from "../schemas";
import { ResendVerification } from "./resend-verification";
import { SocialButtons } from "./social-buttons";

export function SignInForm({ socialProviders = [] }: { socialProviders?: string[] }) {
  const router = useRouter();
  const next = useSafeNext();
  const [error, setError] = useState<ApiError | null>(null);
  const [passkeyBusy, setPasskeyBusy] = useState(false);
  const form = useForm<SignInInput>({
    resolver: zodResolver(SignInSchema),
    defaultValues: { email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const done = () => {
    clearAccess();
    router.replace(next);
  };

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const { error: e } = await authClient.signIn.email({ email: values.email, password: values.password });
    if (e) setError(fromAuthError(e));
    else done();
  });

  const withPasskey = async () => {
    setError(null);
    setPasskeyBusy(true);
    try {
      const res = await authClient.signIn.passkey();
      if (res?.error) setError(fromAuthError(res.error));
      else done();
    } finally {
      setPasskeyBusy(false);
    }
  };

  return (
    <div className="space-y-5">
      <h1 className="text-xl font-semibold">Sign in</h1>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <TextField
          label="Email"
          type="email"
          autoComplete="username webauthn"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="current-password"
          error={errors.password?.message}
          {...form.register("password")}
        />
        <ErrorAlert error={error} />
        {error?.code === "EMAIL_NOT_VERIFIED" ? <ResendVerification email={form.getValues("email")} /> : null}
        <Button type="submit" busy={isSubmitting} className="w-full">
          Sign in
        </Button>
      </form>
      <div className="relative text-center text-xs text-zinc-500">
        <span className="bg-white px-2 dark:bg-zinc-900">or</span>
      </div>
      <Button variant="secondary" className="w-full" onClick={withPasskey} busy={passkeyBusy}>
        Sign in with a passkey
      </Button>
      <SocialButtons providers={socialProviders} next={next} />
      <div className="flex justify-between text-sm">
        <Link href="/forgot-password" className="text-indigo-600 hover:underline dark:text-indigo-400">
          Forgot password?
        </Link>
        <Link href="/sign-up" className="text-indigo-600 hover:underline dark:text-indigo-400">
          Create an account
        </Link>
      </div>
    </div>
  );
}
