import { spawn } from "node:child_process";
import { hostname } from "node:os";
import type { Command } from "commander";
import type { Context } from "../context.js";
import { deleteCredentials, readCredentials, writeCredentials } from "../credentials.js";

/** `ah5 login`, `ah5 logout`, `ah5 whoami`. */
export function registerLogin(program: Command, ctx: Context) {
  program
    .command("login")
    .description("Sign in: a browser confirmation (device flow), or --token with a personal access token")
    .option("--token <pat>", "use an existing personal access token (ah5p_…) instead of the browser")
    .option("--device-name <name>", "name of the token created for this device", `ah5 on ${hostname()}`)
    .option("--no-browser", "do not try to open the confirmation page in a browser")
    .action(async (opts: { token?: string; deviceName: string; browser: boolean }) => {
      const apiUrl = await ctx.apiUrl();
      if (opts.token) {
        // Checked before it is stored: a typo must not leave a useless credential behind.
        const who = await ctx.withToken(apiUrl, opts.token).whoami();
        const workspaceId = who.kind === "user" ? who.workspace.id : undefined;
        const path = await writeCredentials(
          { apiUrl, token: opts.token, workspaceId, savedAt: new Date().toISOString() },
          ctx.env,
        );
        ctx.print({ signedIn: true, apiUrl, workspaceId, credentialsFile: path }, () =>
          who.kind === "user"
            ? `Signed in to workspace "${who.workspace.name}" (${who.role ?? "member"}). Credentials saved to ${path}.`
            : `Saved an agent token to ${path}.`,
        );
        return;
      }
      const client = ctx.anonymous(apiUrl);
      const start = await client.cliLogin.start(opts.deviceName);
      ctx.io.err(
        [
          "To sign in, open this page in a browser where you are signed in to AgentHiFive:",
          `  ${start.verificationUriComplete}`,
          `and confirm the code: ${start.userCode}`,
          "",
        ].join("\n"),
      );
      // Only on an interactive terminal: scripts and CI get the URL printed, nothing launched.
      if (opts.browser && process.stdout.isTTY && process.stderr.isTTY)
        openBrowser(start.verificationUriComplete);
      const started = Date.now();
      const result = await client.cliLogin.complete(start, {
        onPending: () =>
          ctx.io.progress(`Waiting for confirmation… ${Math.round((Date.now() - started) / 1000)} s`),
      });
      ctx.io.progress("");
      const path = await writeCredentials(
        {
          apiUrl,
          token: result.token,
          tokenId: result.pat.id,
          expiresAt: result.pat.expiresAt,
          workspaceId: result.pat.workspaceId,
          savedAt: new Date().toISOString(),
        },
        ctx.env,
      );
      ctx.print({ signedIn: true, apiUrl, pat: result.pat, credentialsFile: path }, () =>
        [
          `Signed in. Token "${result.pat.name}" (…${result.pat.lastFour}) expires ${result.pat.expiresAt}.`,
          `Scopes: ${result.pat.scopes.join(" ")}`,
          `Credentials saved to ${path}.`,
        ].join("\n"),
      );
    });

  program
    .command("logout")
    .description("Forget the stored credentials (revoke the token in the dashboard to invalidate it)")
    .action(async () => {
      const removed = await deleteCredentials(ctx.env);
      ctx.print({ signedOut: removed }, () => (removed ? "Signed out." : "You were not signed in."));
    });

  program
    .command("whoami")
    .description("Show the workspace and role of the stored credentials")
    .action(async () => {
      const who = await (await ctx.human()).whoami();
      const stored = await readCredentials(ctx.env);
      ctx.print({ ...who, apiUrl: await ctx.apiUrl(), tokenExpiresAt: stored?.expiresAt ?? null }, () =>
        who.kind === "user"
          ? `Workspace: ${who.workspace.name} (${who.workspace.id})\nRole: ${who.role ?? "-"}\nAPI: ${stored?.apiUrl ?? ""}`
          : `Agent: ${who.agent.name} (${who.agent.agentId})`,
      );
    });
}

/** Best effort; the URL is printed anyway. Only http(s) URLs from the API are opened. */
function openBrowser(url: string) {
  if (!/^https?:\/\//.test(url)) return;
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["rundll32", ["url.dll,FileProtocolHandler", url]]
        : ["xdg-open", [url]];
  try {
    const child = spawn(command, args as string[], { stdio: "ignore", detached: true });
    child.on("error", () => undefined);
    child.unref();
  } catch {
    // no browser available: the printed URL is enough
  }
}
