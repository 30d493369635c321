import { ApiError } from "@/lib/api-error";

interface BetterAuthError {
  message?: string;
  code?: string;
  status?: number;
  statusText?: string;
}

const HINTS: Record<string, string> = {
  EMAIL_NOT_VERIFIED: "Open the verification link we mailed you, or send a new one below.",
  INVALID_EMAIL_OR_PASSWORD: "Check the address and password, or reset your password.",
  USER_ALREADY_EXISTS: "Sign in instead, or reset your password if you forgot it.",
};

/** Better Auth answers `{message, code}`; show it like our own API errors. */
export function fromAuthError(e: BetterAuthError | null | undefined): ApiError {
  const code = e?.code ?? `HTTP_${e?.status ?? 0}`;
  return new ApiError(
    e?.status ?? 0,
    code,
    e?.message || e?.statusText || "Something went wrong.",
    HINTS[code],
  );
}
