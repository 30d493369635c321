import { z } from "zod";

/** Better Auth's own contract (API.md §1.1); the API requires ≥ 10 characters. */
export const SignInSchema = z.object({
  email: z.email("Enter a valid email address"),
  password: z.string().min(1, "Enter your password"),
});
export type SignInInput = z.infer<typeof SignInSchema>;

export const SignUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100),
  email: z.email("Enter a valid email address"),
  password: z.string().min(10, "Use at least 10 characters").max(256),
});
export type SignUpInput = z.infer<typeof SignUpSchema>;

export const ForgotPasswordSchema = z.object({ email: z.email("Enter a valid email address") });
export const ResetPasswordSchema = z.object({
  password: z.string().min(10, "Use at least 10 characters").max(256),
});
