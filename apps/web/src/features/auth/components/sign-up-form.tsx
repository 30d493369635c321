"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Button } from "@/components/ui/button";
import { ErrorAlert } from "@/components/ui/feedback";
import { TextField } from "@/components/ui/field";
import type { ApiError } from "@/lib/api-error";
import { authClient } from "@/lib/auth-client";
import { fromAuthError } from "../auth-error";
import { type SignUpInput, SignUpSchema } from "../schemas";

export function SignUpForm() {
  const router = useRouter();
  const [error, setError] = useState<ApiError | null>(null);
  const form = useForm<SignUpInput>({
    resolver: zodResolver(SignUpSchema),
    defaultValues: { name: "", email: "", password: "" },
  });
  const { errors, isSubmitting } = form.formState;

  const onSubmit = form.handleSubmit(async (values) => {
    setError(null);
    const { error: e } = await authClient.signUp.email({
      ...values,
      callbackURL: `${window.location.origin}/overview`,
    });
    if (e) setError(fromAuthError(e));
    else router.push(`/check-email?email=${encodeURIComponent(values.email)}`);
  });

  return (
    <div className="space-y-5">
      <h1 className="text-xl font-semibold">Create your account</h1>
      <form onSubmit={onSubmit} noValidate className="space-y-4">
        <TextField label="Name" autoComplete="name" error={errors.name?.message} {...form.register("name")} />
        <TextField
          label="Email"
          type="email"
          autoComplete="email"
          error={errors.email?.message}
          {...form.register("email")}
        />
        <TextField
          label="Password"
          type="password"
          autoComplete="new-password"
          help="At least 10 characters. A passphrase works well."
          error={errors.password?.message}
          {...form.register("password")}
        />
        <ErrorAlert error={error} />
        <Button type="submit" busy={isSubmitting} className="w-full">
          Create account
        </Button>
      </form>
      <p className="text-sm">
        Already have an account?{" "}
        <Link href="/sign-in" className="text-indigo-600 hover:underline dark:text-indigo-400">
          Sign in
        </Link>
      </p>
    </div>
  );
}
