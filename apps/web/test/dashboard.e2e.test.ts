import { readFileSync } from "node:fs";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CLIENT,
  type OidcTestServer,
  startOidcServer,
} from "../../../packages/oauth-connectors/test/helpers/oidc-server.js";
import { TestAgent } from "./helpers/agent.js";
import { artifactPath, CHROMIUM, chromiumAvailable } from "./helpers/browser.js";
import {
  buildWeb,
  freePort,
  freshDatabase,
  type Running,
  reusableBuild,
  startApi,
  startWeb,
  waitForHttp,
} from "./helpers/processes.js";
import { startUpstream } from "./helpers/upstream.js";

/**
 * The dashboard end to end: a real API process on a fresh database, the real Next.js build
 * (`next build` once, then `next start`), Debian's chromium driven by playwright-core, and an
 * agent speaking HTTP. Everything listens on loopback. Screenshots land in test/artifacts/.
 */
const run = chromiumAvailable() ? describe : describe.skip;

run("dashboard end to end", () => {
  let api: Running;
  let web: Running;
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let upstream: Awaited<ReturnType<typeof startUpstream>>;
  let oidc: OidcTestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let apiUrl: string;
  let webUrl: string;

  beforeAll(async () => {
    upstream = await startUpstream();
    db = await freshDatabase();
    const previous = reusableBuild();
    const [apiPort, webPort] = [previous?.apiPort ?? (await freePort()), await freePort()];
    apiUrl = `http://127.0.0.1:${apiPort}`;
    // `localhost`, not an IP: WebAuthn refuses IP addresses as relying-party ids.
    webUrl = `http://localhost:${webPort}`;
    // The browser reaches the API only through the dashboard's origin, so links in mails and the
    // OAuth callback use it too (the callback needs the first-party session cookie).
    oidc = await startOidcServer({ redirectUris: [`${webUrl}/v1/oauth/generic/callback`] });
    api = startApi(apiPort, {
      ...db.env,
      API_PUBLIC_URL: webUrl,
      WEB_URL: webUrl,
      WEB_ORIGINS: webUrl,
      VAULT_DEV_ALLOW_HOSTS: `${upstream.host},${new URL(oidc.issuer).host}`,
      OAUTH_GENERIC_ISSUER: oidc.issuer,
      OAUTH_GENERIC_CLIENT_ID: CLIENT.clientId,
      OAUTH_GENERIC_CLIENT_SECRET: CLIENT.clientSecret,
      OAUTH_GENERIC_API_ORIGINS: "https://api.example.test",
    });
    if (!previous) buildWeb(apiUrl);
    await waitForHttp(`${apiUrl}/ready`, api);
    web = startWeb(webPort, apiUrl);
    await waitForHttp(`http://127.0.0.1:${webPort}/sign-in`, web);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    context = await browser.newContext({
      baseURL: webUrl,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
    });
    page = await context.newPage();
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await web?.stop();
    await api?.stop();
    await upstream?.close();
    await oidc?.close();
    await db?.drop();
  });

  const shot = (name: string) => page.screenshot({ path: artifactPath(`${name}.png`), fullPage: true });

  it("sign up, verify, passkey, connect, agent, preset, live approval, retry, activity export", async () => {
    const email = `e2e-${Date.now()}@example.com`;
    const password = "correct horse battery staple";

    // Sign up, then verify through the development mailbox link.
    await page.goto("/sign-up");
    await page.getByLabel("Name").fill("Ada Lovelace");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await shot("01-sign-up");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/check-email/);
    const mailLink = page.getByRole("complementary", { name: "Development mailbox" }).getByRole("link");
    await mailLink.waitFor();
    await shot("02-check-email");
    await mailLink.click();
    await page.waitForURL(/\/overview/);
    await page.getByText("Get started").waitFor();
    await shot("03-overview");

    // Sign out, then sign in with the password.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await shot("04-sign-in");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.waitForURL(/\/overview/);

    // Enroll a passkey with a CDP virtual authenticator, then sign in with it.
    const cdp = await context.newCDPSession(page);
    await cdp.send("WebAuthn.enable");
    await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: {
        protocol: "ctap2",
        transport: "internal",
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
      },
    });
    await page.goto("/settings");
    await page.getByLabel("Passkey name").fill("E2E authenticator");
    await page.getByRole("button", { name: "Add a passkey" }).click();
    await page.getByText("Passkey added").waitFor();
    await page.getByTestId("passkey-list").getByText("E2E authenticator").waitFor();
    await shot("05-settings-passkey");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByRole("button", { name: "Sign in with a passkey" }).click();
    await page.waitForURL(/\/overview/);

    // Connect an account through the local OpenID Connect server (authorization code + PKCE).
    await page.goto("/connections");
    await page.getByRole("button", { name: "OpenID Connect (platform)" }).click();
    await page.getByRole("button", { name: "Connect with OpenID Connect (platform)" }).click();
    await page.waitForURL(/\/connections\?connectionId=/, { timeout: 30_000 });
    await page.getByText("Account connected.").waitFor();
    await page
      .getByRole("table", { name: "Connections" })
      .getByRole("row")
      .filter({ hasText: "oauth" })
      .waitFor();
    expect(await page.content()).not.toContain(CLIENT.clientSecret);
    await shot("06a-connections-oauth");

    // And an API-key connection to the local upstream, for the agent's calls below.
    await page.getByRole("button", { name: "Generic API key" }).click();
    await page.getByLabel("Label").fill("Local API");
    await page.getByLabel("API key", { exact: true }).fill("sk-e2e-secret-value");
    await page.getByLabel(/API origin/).fill(upstream.origin);
    await page.getByRole("button", { name: "Verify and save" }).click();
    await page.getByText("Connected “Local API”").waitFor();
    await page.getByRole("table", { name: "Connections" }).getByText("Local API", { exact: true }).waitFor();
    expect(await page.content()).not.toContain("sk-e2e-secret-value");
    await shot("06-connections");

    // Create an agent; its bootstrap secret is shown once, with setup commands.
    await page.goto("/agents");
    await page.getByLabel("Name").fill("Mail helper");
    await page.getByRole("button", { name: "Create agent" }).click();
    const secretBlock = page.getByRole("figure").filter({ hasText: "Bootstrap secret" }).locator("code");
    await secretBlock.waitFor();
    const secret = (await secretBlock.textContent())?.trim() ?? "";
    expect(secret).toMatch(/^ah5b_/);
    await shot("07-agent-created");
    const agent = new TestAgent(apiUrl);
    await agent.enroll(secret);

    // Choose a preset for this agent and connection.
    await page.goto("/policies");
    await page
      .getByLabel("Connection", { exact: true })
      .selectOption({ label: "Local API (generic-api-key)" });
    await page.getByRole("button", { name: "Use Standard" }).click();
    // The preset opens in the editor; saving it unchanged round-trips the API's document.
    await page.getByRole("button", { name: "Save new version" }).click();
    await page.getByText("Policy saved.").waitFor();
    await page.getByText("Version 2", { exact: false }).waitFor();
    await page.getByRole("form", { name: "Simulate a request" }).getByLabel("Method").selectOption("POST");
    await page
      .getByRole("form", { name: "Simulate a request" })
      .getByLabel("URL")
      .fill(`${upstream.origin}/v1/echo`);
    await page.getByRole("button", { name: "Simulate" }).click();
    await page.getByTestId("simulate-result").getByText("require approval").waitFor();
    await shot("08-policy");

    // The agent's write needs approval: it appears live on the approvals page and in the badge.
    await page.goto("/approvals");
    await page.getByText("Nothing waiting for you").waitFor();
    await page.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    const request = {
      model: "B",
      connectionId: "",
      method: "POST",
      url: `${upstream.origin}/v1/echo`,
      body: { to: "bob" },
    };
    const connections = await page.evaluate(async () => {
      const t = await fetch("/api/internal/token/exchange", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      }).then((r) => r.json());
      return fetch("/v1/connections", { headers: { authorization: `Bearer ${t.accessToken}` } }).then((r) =>
        r.json(),
      );
    });
    request.connectionId = connections.items.find((c: { label: string }) => c.label === "Local API").id;
    const first = await agent.execute(request);
    expect(first.status).toBe(202);
    const approvalId = first.body.approvalRequestId as string;
    const card = page.getByTestId("approval-card");
    await card.waitFor({ timeout: 15_000 });
    await expect(card.textContent()).resolves.toContain("/v1/echo");
    await page.getByTestId("pending-approvals-badge").waitFor();
    await shot("09-approval-pending");
    await card.getByLabel("Comment (optional)").fill("ok once");
    await card.getByRole("button", { name: "Approve" }).click();
    await page.getByText("Nothing waiting for you").waitFor();
    await page.getByRole("button", { name: "All", exact: true }).click();
    await page.locator('[data-testid="approval-card"][data-status="approved"]').waitFor();
    await shot("10-approval-approved");

    // The agent's identical retry with the approval id succeeds.
    const retry = await agent.execute({ ...request, approvalId });
    expect(retry.status).toBe(200);
    expect(retry.body.body).toEqual({ received: { to: "bob" } });
    expect(upstream.calls).toContain("POST /v1/echo");

    // Activity: the chain verifies and the CSV export downloads.
    await page.goto("/activity");
    await page.locator('[data-testid="chain-status"][data-ok="true"]').waitFor();
    await page.getByRole("table", { name: "Audit events" }).getByText("vault.executed").first().waitFor();
    await shot("11-activity");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Export CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path()) as string, "utf8");
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    expect(csv).toContain("vault.executed");
    expect(csv).not.toContain("sk-e2e-secret-value");

    // Settings: a notification channel, tested from the dashboard.
    await page.goto("/settings");
    const channelForm = page.getByRole("form", { name: "Add a notification channel" });
    await channelForm.getByLabel("Channel label").fill("Ops mail");
    await channelForm.getByLabel("Email address").fill("ops@example.com");
    await channelForm.getByRole("button", { name: "Add channel" }).click();
    const channelRow = page
      .getByRole("table", { name: "Notification channels" })
      .getByRole("row")
      .filter({ hasText: "Ops mail" });
    await channelRow.getByRole("button", { name: "Send test" }).click();
    await channelRow.getByText("Test delivered").waitFor();
    await page.getByRole("table", { name: "JWT signing keys" }).waitFor();
    await page.getByText("Every stored secret of this workspace uses it.").waitFor();
    await shot("12-settings");

    // `ah5 login`: the CLI starts a device login, the person confirms the code in the browser.
    const started = (await (
      await fetch(`${apiUrl}/v1/cli/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ deviceName: "e2e laptop" }),
      })
    ).json()) as { deviceCode: string; verificationUriComplete: string };
    await page.goto(
      new URL(started.verificationUriComplete).pathname + new URL(started.verificationUriComplete).search,
    );
    const cliForm = page.getByRole("form", { name: "Confirm a command line sign-in" });
    // The person sees which device asked, and when, before confirming; read-only scopes by default.
    await cliForm.getByText('"e2e laptop" asked for this code').waitFor();
    expect(await cliForm.getByRole("checkbox", { name: "agents:write" }).isChecked()).toBe(false);
    await shot("15a-cli-login-confirm");
    await cliForm.getByRole("button", { name: "Sign in the command line" }).click();
    await page.getByText('Signed in "e2e laptop"').waitFor();
    await shot("15-cli-login");
    const polled = await fetch(`${apiUrl}/v1/cli/login/poll`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ deviceCode: started.deviceCode }),
    });
    expect(polled.status).toBe(200);
    expect(((await polled.json()) as { token: string }).token).toMatch(/^ah5p_/);

    // Dark mode and a phone-sized screen.
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto("/approvals");
    await page.getByRole("button", { name: "All", exact: true }).waitFor();
    await shot("13-approvals-dark");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto("/overview");
    await page.getByRole("button", { name: "Menu" }).click();
    await page.locator("#mobile-nav").getByRole("link", { name: "Agents" }).waitFor();
    await shot("14-overview-mobile-dark");
  }, 300_000);
});
