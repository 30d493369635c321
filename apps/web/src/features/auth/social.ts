/** Social sign-in providers Better Auth (in the API) may offer; the labels the buttons show. */
export const SOCIAL_LABELS: Record<string, string> = {
  google: "Google",
  github: "GitHub",
  microsoft: "Microsoft",
};

/**
 * Server-only: which social providers are configured, from SOCIAL_PROVIDERS (comma-separated;
 * scripts/start.mjs derives it from the API's *_CLIENT_ID variables without passing secrets).
 */
export function configuredSocialProviders(): string[] {
  return (process.env.SOCIAL_PROVIDERS ?? "")
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p in SOCIAL_LABELS);
}
