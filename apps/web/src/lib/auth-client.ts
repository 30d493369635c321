import { passkeyClient } from "@better-auth/passkey/client";
import { createAuthClient } from "better-auth/react";

/**
 * The Better Auth client. No baseURL: it talks to /api/auth/* on the dashboard's own origin,
 * which Next forwards to the API (ADR-0001), so the session cookie is first-party.
 */
export const authClient = createAuthClient({ plugins: [passkeyClient()] });

export type AuthClient = typeof authClient;
