import { availableParallelism } from "node:os";
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");
const csv = z.string().transform((s) =>
  s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean),
);
const url = z.url({ protocol: /^https?$/ }).transform((u) => u.replace(/\/+$/, ""));
const seconds = (min: number, max: number, dflt: number) =>
  z.coerce.number().int().min(min).max(max).default(dflt);

/**
 * The whole environment of the API, parsed once at start. This is the only place that reads
 * process.env (main.ts passes it in). Every variable is listed with a comment in .env.example.
 */
export const ConfigSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
    API_PUBLIC_URL: url.default("http://localhost:4000"),
    WEB_URL: url.default("http://localhost:3000"),
    BROWSER_BASE_URL: url.optional(),
    WEB_ORIGINS: csv.optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL")
      .optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    /** Server processes sharing the port (one replica each); `auto` = one per CPU. */
    API_WORKERS: z
      .union([z.literal("auto"), z.coerce.number().int().min(1).max(64)], {
        error: "must be a whole number from 1 to 64, or auto",
      })
      .default(1)
      .transform((v) => (v === "auto" ? availableParallelism() : v)),
    DATA_DIR: z.string().min(1).default("./.data"),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    ENCRYPTION_KEYS: z.string().min(1).optional(),
    ENCRYPTION_ACTIVE_KID: z.string().min(1).optional(),
    JWT_SIGNING_KEYS: z.string().min(1).optional(),
    JWT_ISSUER: z.string().min(1).default("web"),
    SESSION_TTL_SECONDS: seconds(3600, 31_536_000, 2_592_000),
    TRUSTED_PROXIES: csv.default([]),
    OPENAPI_ENABLED: bool.default(true),
    DEV_MAILBOX_ENABLED: bool.optional(),
    REQUIRE_EMAIL_VERIFICATION: bool.default(true),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "must be an smtp:// or smtps:// URL")
      .optional(),
    MAIL_FROM: z.string().min(3).default("AgentHiFive <no-reply@localhost>"),
    GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    GITHUB_CLIENT_ID: z.string().min(1).optional(),
    GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
    MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
    // Platform OAuth apps for provider connections (API.md §3.3), per catalog provider.
    OAUTH_GOOGLE_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
    OAUTH_MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
    OAUTH_SLACK_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_SLACK_CLIENT_SECRET: z.string().min(1).optional(),
    OAUTH_NOTION_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_NOTION_CLIENT_SECRET: z.string().min(1).optional(),
    OAUTH_GITHUB_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
    OAUTH_ATLASSIAN_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_ATLASSIAN_CLIENT_SECRET: z.string().min(1).optional(),
    AGENT_TOKEN_TTL_SECONDS: seconds(300, 86_400, 7200),
    OAUTH_GENERIC_ISSUER: url.optional(),
    OAUTH_GENERIC_CLIENT_ID: z.string().min(1).optional(),
    OAUTH_GENERIC_CLIENT_SECRET: z.string().min(1).optional(),
    OAUTH_GENERIC_LABEL: z.string().min(1).max(100).default("Single sign-on (OIDC)"),
    OAUTH_GENERIC_API_ORIGINS: csv.default([]),
    OAUTH_GENERIC_SCOPES: csv.default([]),
    AGENT_TOKEN_AUDIENCE: z.string().min(1).optional(),
    AGENT_BOOTSTRAP_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).default(5),
    AGENT_BOOTSTRAP_PER_HOUR_PER_IP: z.coerce.number().int().min(1).default(20),
    AGENT_TOKEN_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).default(60),
    SESSION_EXCHANGE_PER_MINUTE_PER_IP: z.coerce.number().int().min(1).default(120),
    AGENT_TOKEN_PER_MINUTE_PER_AGENT: z.coerce.number().int().min(1).default(30),
    VAULT_DEV_ALLOW_HOSTS: csv.default([]),
    VAULT_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(100 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    PROVIDER_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(30_000),
    RATE_LIMIT_HUMAN_PER_MINUTE: z.coerce.number().int().min(1).default(600),
    RATE_LIMIT_AGENT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    EVENT_STREAM_MAX_SECONDS: z.coerce.number().int().min(1).max(3600).default(300),
  })
  .transform((c) => ({
    ...c,
    WEB_ORIGINS: c.WEB_ORIGINS?.length ? c.WEB_ORIGINS : [new URL(c.WEB_URL).origin],
    BROWSER_BASE_URL: c.BROWSER_BASE_URL ?? c.API_PUBLIC_URL,
    // The dev mailbox publishes every mail (reset links included) to anyone: never beside real mail.
    DEV_MAILBOX_ENABLED: c.DEV_MAILBOX_ENABLED ?? (c.NODE_ENV !== "production" && !c.SMTP_URL),
  }));

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/**
 * Parses the environment. Fails fast naming every bad variable, never echoing a value (it may be
 * a secret).
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const known = Object.keys(ConfigSchema.in.shape);
  const input: Record<string, string> = Object.fromEntries(
    known.filter((k) => env[k] !== undefined && env[k] !== "").map((k) => [k, env[k] as string]),
  );
  const result = ConfigSchema.safeParse(input);
  const problems = [
    ...(result.success
      ? []
      : result.error.issues.map((i) => `${i.path.join(".") || "(config)"}: ${i.message}`)),
    ...crossFieldProblems(input),
  ];
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  return result.data;
}

/** Rules that span variables; checked on the raw input so every problem is reported at once. */
function crossFieldProblems(input: Record<string, string>): string[] {
  const problems: string[] = [];
  if (input.API_WORKERS && input.API_WORKERS !== "1" && !input.DATABASE_URL) {
    problems.push(
      "API_WORKERS: several workers need DATABASE_URL (the embedded database belongs to one process)",
    );
  }
  if (input.NODE_ENV === "production") {
    for (const key of ["AUTH_SECRET", "ENCRYPTION_KEYS", "DATABASE_URL"]) {
      if (!input[key]) problems.push(`${key}: is required in production`);
    }
    if (["true", "1", "yes"].includes(input.DEV_MAILBOX_ENABLED ?? "")) {
      problems.push("DEV_MAILBOX_ENABLED: must be off in production");
    }
  }
  if (input.SMTP_URL && ["true", "1", "yes"].includes(input.DEV_MAILBOX_ENABLED ?? "")) {
    problems.push(
      "DEV_MAILBOX_ENABLED: must be off when SMTP_URL sends real mail (GET /api/dev/mailbox would show every mail to anyone)",
    );
  }
  for (const p of ["GOOGLE", "GITHUB", "MICROSOFT"]) {
    if (Boolean(input[`${p}_CLIENT_ID`]) !== Boolean(input[`${p}_CLIENT_SECRET`])) {
      problems.push(`${p}_CLIENT_SECRET: ${p}_CLIENT_ID and ${p}_CLIENT_SECRET must be set together`);
    }
  }
  if (Boolean(input.OAUTH_GENERIC_ISSUER) !== Boolean(input.OAUTH_GENERIC_CLIENT_ID)) {
    problems.push(
      "OAUTH_GENERIC_CLIENT_ID: OAUTH_GENERIC_ISSUER and OAUTH_GENERIC_CLIENT_ID must be set together",
    );
  }
  if (input.OAUTH_GENERIC_ISSUER && !input.OAUTH_GENERIC_API_ORIGINS) {
    problems.push(
      "OAUTH_GENERIC_API_ORIGINS: name the https origins the provider's tokens open (comma-separated)",
    );
  }
  if (input.JWT_SIGNING_KEYS) {
    try {
      const keys: unknown = JSON.parse(input.JWT_SIGNING_KEYS);
      const valid =
        Array.isArray(keys) &&
        keys.every((k) => typeof k === "object" && k !== null && k.kty === "EC" && typeof k.d === "string");
      if (!valid)
        problems.push("JWT_SIGNING_KEYS: must be a JSON array of private EC P-256 JWKs (first = active)");
    } catch {
      problems.push("JWT_SIGNING_KEYS: must be valid JSON");
    }
  }
  return problems;
}
