import { passkey } from "@better-auth/passkey";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { betterAuth } from "better-auth/minimal";
import type { Db } from "../../db/client.js";
import { accounts, passkeys, sessions, users, verifications } from "../../db/schema/index.js";
import { newId } from "../../lib/ids.js";
import type { Mailer } from "../mail/mailer.js";
import { betterAuthStorages, createAsyncContextGate } from "./async-context-gate.js";
import { hashSessionTokens } from "./session-token-hashing.js";

export interface SocialProviderConfig {
  clientId: string;
  clientSecret: string;
}

export interface AuthOptions {
  db: Db;
  secret: string;
  /** Where /api/auth/* is reached from a browser (links in mails point here). */
  baseUrl: string;
  webUrl: string;
  trustedOrigins: string[];
  sessionTtlSeconds: number;
  secureCookies: boolean;
  requireEmailVerification: boolean;
  mailer: Mailer;
  social: Partial<Record<"google" | "github" | "microsoft", SocialProviderConfig>>;
  /** Better Auth's per-IP limiter for sign-in, sign-up and reset. */
  rateLimit: boolean;
  onUserCreated(user: { id: string; name: string; email: string }): Promise<void>;
}

/** The session behind a request's cookie, as Better Auth returns it (the fields we read). */
export interface AuthSession {
  session: { id: string; activeWorkspaceId?: string | null; expiresAt?: Date | string };
  user: { id: string; name: string; disabledAt?: Date | null };
}

/** What the API uses of Better Auth: its router and the cookie session lookup. */
export interface Auth {
  /** Better Auth's router under /api/auth/*. */
  handler(request: Request): Promise<Response>;
  /** The session the request's cookie names, or null (no cookie, expired, revoked). */
  getSession(headers: Headers): Promise<AuthSession | null>;
}

/**
 * The Better Auth server instance. It lives in apps/api because the seed gives apps/api the
 * user/session/account tables (ADR-0001); apps/web forwards /api/auth/* to it same-origin.
 * Every call goes through the async-context gate (see there).
 */
export function createAuth(o: AuthOptions): Auth {
  const auth = createBetterAuth(o);
  const gate = createAsyncContextGate(betterAuthStorages());
  return {
    handler: (request) => gate.run(() => auth.handler(request)),
    getSession: (headers) =>
      gate.run(async () => (await auth.api.getSession({ headers })) as AuthSession | null),
  };
}

function createBetterAuth(o: AuthOptions) {
  return betterAuth({
    appName: "AgentHiFive",
    baseURL: o.baseUrl,
    basePath: "/api/auth",
    secret: o.secret,
    trustedOrigins: o.trustedOrigins,
    telemetry: { enabled: false },
    database: hashSessionTokens(
      drizzleAdapter(o.db, {
        provider: "pg",
        schema: { users, sessions, accounts, verifications, passkeys },
      }),
    ),
    user: {
      modelName: "users",
      additionalFields: { disabledAt: { type: "date", required: false, input: false } },
    },
    session: {
      modelName: "sessions",
      expiresIn: o.sessionTtlSeconds,
      updateAge: Math.min(86_400, Math.floor(o.sessionTtlSeconds / 2)),
      additionalFields: { activeWorkspaceId: { type: "string", required: false, input: false } },
    },
    account: { modelName: "accounts", encryptOAuthTokens: true },
    verification: { modelName: "verifications" },
    advanced: {
      cookiePrefix: "ah5",
      useSecureCookies: o.secureCookies,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", path: "/" },
      database: { generateId: () => newId() },
      // Set by our route from the socket address (or TRUSTED_PROXIES), overwriting any client value.
      ipAddress: { ipAddressHeaders: ["x-ah5-client-ip"] },
    },
    rateLimit: { enabled: o.rateLimit, window: 60, max: 30, storage: "memory" },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 256,
      requireEmailVerification: o.requireEmailVerification,
      revokeSessionsOnPasswordReset: true,
      async sendResetPassword({ user, url }) {
        await o.mailer.send({
          to: user.email,
          kind: "reset_password",
          subject: "Reset your AgentHiFive password",
          text: `Someone asked to reset the password of this account. If it was you, open: ${url}\nIf not, ignore this mail.`,
          link: url,
        });
      },
    },
    emailVerification: {
      sendOnSignUp: true,
      autoSignInAfterVerification: true,
      expiresIn: 24 * 3600,
      async sendVerificationEmail({ user, url }) {
        await o.mailer.send({
          to: user.email,
          kind: "verify_email",
          subject: "Verify your email for AgentHiFive",
          text: `Welcome to AgentHiFive. Confirm your address: ${url}`,
          link: url,
        });
      },
    },
    socialProviders: Object.fromEntries(
      Object.entries(o.social).map(([id, c]) => [id, { clientId: c.clientId, clientSecret: c.clientSecret }]),
    ),
    plugins: [
      passkey({
        rpID: new URL(o.webUrl).hostname,
        rpName: "AgentHiFive",
        origin: o.trustedOrigins,
        schema: { passkey: { modelName: "passkeys" } },
      }),
    ],
    databaseHooks: {
      user: {
        create: {
          after: async (user) => {
            await o.onUserCreated({ id: user.id, name: user.name, email: user.email });
          },
        },
      },
    },
  });
}
