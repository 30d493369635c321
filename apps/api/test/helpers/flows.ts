import type { App } from "../../src/app.js";
import type { Deps } from "../../src/deps.js";
import { WEB_ORIGIN } from "./app.js";

export const PASSWORD = "correct horse battery staple";

function cookieFrom(setCookie: string | string[] | undefined): string {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list.map((c) => c.split(";")[0]).join("; ");
}

/** The newest mail to `to` in the dev mailbox, with its link. */
export function lastMail(deps: Deps, to: string, kind?: string) {
  const mail = deps.devMailbox?.list(to).find((m) => !kind || m.kind === kind);
  if (!mail?.link) throw new Error(`no ${kind ?? ""} mail with a link for ${to}`);
  return mail;
}

export async function signUp(app: App, email: string, name = "Test User") {
  return app.inject({
    method: "POST",
    url: "/api/auth/sign-up/email",
    headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
    payload: { email, password: PASSWORD, name },
  });
}

/** Follows the verification link from the dev mailbox; returns the session cookie it sets. */
export async function verifyEmail(app: App, deps: Deps, email: string): Promise<string> {
  const link = new URL(lastMail(deps, email, "verify_email").link as string);
  const res = await app.inject({ method: "GET", url: `${link.pathname}${link.search}` });
  if (res.statusCode >= 400) throw new Error(`verification failed: ${res.statusCode} ${res.body}`);
  return cookieFrom(res.headers["set-cookie"]);
}

export async function signIn(app: App, email: string, password = PASSWORD) {
  const res = await app.inject({
    method: "POST",
    url: "/api/auth/sign-in/email",
    headers: { origin: WEB_ORIGIN, "content-type": "application/json" },
    payload: { email, password },
  });
  return { res, cookie: cookieFrom(res.headers["set-cookie"]) };
}

export async function exchange(app: App, cookie: string, workspaceId?: string) {
  return app.inject({
    method: "POST",
    url: "/api/internal/token/exchange",
    headers: { origin: WEB_ORIGIN, "content-type": "application/json", cookie },
    payload: workspaceId ? { workspaceId } : {},
  });
}

export interface SignedInUser {
  email: string;
  cookie: string;
  token: string;
  userId: string;
  workspaceId: string;
}

/** Sign-up → verify → sign-in → exchange: a user with a personal workspace and a JWT. */
export async function createUser(
  app: App,
  deps: Deps,
  email: string,
  name = "Test User",
): Promise<SignedInUser> {
  const up = await signUp(app, email, name);
  if (up.statusCode !== 200) throw new Error(`sign-up failed: ${up.statusCode} ${up.body}`);
  await verifyEmail(app, deps, email);
  const { res, cookie } = await signIn(app, email);
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const ex = await exchange(app, cookie);
  if (ex.statusCode !== 200) throw new Error(`exchange failed: ${ex.statusCode} ${ex.body}`);
  const body = ex.json() as { accessToken: string; workspaceId: string };
  const userId = JSON.parse(
    Buffer.from(body.accessToken.split(".")[1] as string, "base64url").toString(),
  ).sub;
  return { email, cookie, token: body.accessToken, userId, workspaceId: body.workspaceId };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
