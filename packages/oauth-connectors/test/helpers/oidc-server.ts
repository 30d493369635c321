import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Configuration } from "oidc-provider";
import { hiddenInputs, TestBrowser } from "./browser.js";
import { MemoryStore } from "./memory-store.js";

export const ACCOUNT = { sub: "user-1", email: "ada@example.test", name: "Ada Lovelace" } as const;
export const CLIENT = {
  clientId: "agenthifive-test",
  clientSecret: "client-secret-CANARY-0a9f3c7e1b",
  redirectUri: "http://127.0.0.1/v1/oauth/test/callback",
} as const;
export const SCOPES = ["openid", "offline_access", "email", "profile", "api:read", "api:write"];

export interface LoggedRequest {
  method: string;
  path: string;
  fromBrowser: boolean;
  hasCookie: boolean;
  /** The `grant_type` of a POST /token, once its body is read (tells a refresh from a code exchange). */
  grantType?: string;
}

export interface OidcTestServer {
  issuer: string;
  /** Every request the server saw, in order (the connector's must carry no cookie). */
  requests: LoggedRequest[];
  /**
   * Plays the user at the authorization endpoint and returns the redirect to the client (to the
   * `redirect_uri` the authorization URL names).
   */
  authorize(authorizationUrl: URL, decision?: "approve" | "deny"): Promise<URL>;
  /** Plays the user on the device verification page (user code, confirm, login/consent). */
  approveDevice(verificationUriComplete: string): Promise<void>;
  /** The user presses "abort" on the confirmation page. */
  denyDevice(verificationUriComplete: string): Promise<void>;
  expireDeviceCode(userCode: string): void;
  close(): Promise<void>;
}

/**
 * A real oidc-provider on a loopback port: `client_secret_basic`, PKCE S256 required, refresh
 * tokens always issued and rotated, revocation, RFC 8628 device flow, RFC 9207 `iss` in every
 * authorization response. The user side is headless: the test's browser sends
 * `x-test-decision` and the interaction route below logs in and consents (or refuses) at once.
 * oidc-provider never answers `slow_down` itself, so the token route does: a device code polled
 * again within `minPollIntervalMs` is told to slow down, as a real server would.
 */
export async function startOidcServer(
  options: {
    minPollIntervalMs?: number /** Callback URLs the client may use besides CLIENT.redirectUri. */;
    redirectUris?: string[];
  } = {},
): Promise<OidcTestServer> {
  const store = new MemoryStore();
  const requests: LoggedRequest[] = [];
  const lastPoll = new Map<string, number>();
  const minPollIntervalMs = options.minPollIntervalMs ?? 5_000;
  let provider: Provider | undefined;

  const server = createServer((req, res) => {
    const logged: LoggedRequest = {
      method: req.method ?? "",
      path: (req.url ?? "").split("?")[0] ?? "",
      fromBrowser: req.headers["x-test-browser"] === "1",
      hasCookie: req.headers.cookie !== undefined,
    };
    requests.push(logged);
    if (!provider) return void res.writeHead(503).end();
    route(provider, req, res, logged).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  provider = new Provider(issuer, configuration(store, options.redirectUris ?? []));

  async function route(
    op: Provider,
    req: IncomingMessage,
    res: ServerResponse,
    logged: LoggedRequest,
  ): Promise<void> {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (path.startsWith("/interaction/")) return interact(op, req, res);
    if (req.method === "POST" && path === "/token") {
      const body = await readBody(req);
      const params = new URLSearchParams(body);
      logged.grantType = params.get("grant_type") ?? undefined;
      const deviceCode = params.get("device_code");
      if (params.get("grant_type") === "urn:ietf:params:oauth:grant-type:device_code" && deviceCode) {
        const previous = lastPoll.get(deviceCode);
        lastPoll.set(deviceCode, Date.now());
        if (previous !== undefined && Date.now() - previous < minPollIntervalMs) {
          res.writeHead(400, { "content-type": "application/json" }).end('{"error":"slow_down"}');
          return;
        }
      }
      // oidc-provider reads an already-consumed body from req.body (shared/selective_body.js).
      (req as IncomingMessage & { body?: string }).body = body;
    }
    op.callback()(req, res);
  }

  async function authorize(authorizationUrl: URL, decision: "approve" | "deny" = "approve"): Promise<URL> {
    // The server sends the browser back to the callback the request named (API processes use
    // their own public URL's callback, registered through `redirectUris`).
    const redirectUri = authorizationUrl.searchParams.get("redirect_uri") ?? CLIENT.redirectUri;
    const { url, response } = await new TestBrowser(decision).follow(authorizationUrl, redirectUri);
    if (response) throw new Error(`authorization stopped at ${url.pathname} with ${response.status}`);
    return url;
  }

  async function deviceConfirm(verificationUriComplete: string, action: "confirm" | "abort") {
    const browser = new TestBrowser("approve");
    const page = await browser.request(new URL(verificationUriComplete));
    const first = hiddenInputs(await page.text()); // auto-submitted form: xsrf + user_code
    const confirmPage = await browser.request(new URL("/device", issuer), { form: first });
    const form = hiddenInputs(await confirmPage.text());
    if (action === "abort") {
      form.delete("confirm");
      form.set("abort", "yes");
    }
    const { response } = await browser.follow(new URL("/device", issuer), "never:", { form });
    return (await response?.text()) ?? "";
  }

  return {
    issuer,
    requests,
    authorize,
    async approveDevice(uri) {
      const html = await deviceConfirm(uri, "confirm");
      if (!html.includes("Sign-in Success")) throw new Error("device approval did not succeed");
    },
    async denyDevice(uri) {
      await deviceConfirm(uri, "abort");
    },
    expireDeviceCode: (userCode) => store.expireDeviceCode(userCode),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Login and consent in one step, or the user's refusal, as the browser's header says. */
async function interact(provider: Provider, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.headers["x-test-decision"] === "deny") {
    await provider.interactionFinished(
      req,
      res,
      { error: "access_denied", error_description: "End-User aborted interaction" },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  const clientId = String(details.params.client_id);
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId: ACCOUNT.sub, clientId });
  if (!grant) throw new Error("grant vanished");
  grant.addOIDCScope(String(details.params.scope ?? "openid"));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: ACCOUNT.sub }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

function configuration(store: MemoryStore, redirectUris: string[]): Configuration {
  const signingKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ format: "jwk" });
  return {
    adapter: (name: string) => store.adapter(name),
    clients: [
      {
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
        redirect_uris: [CLIENT.redirectUri, ...redirectUris],
        grant_types: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    pkce: { required: () => true, methods: ["S256"] },
    features: {
      devInteractions: { enabled: false },
      deviceFlow: {
        enabled: true,
        // Bare pages: the test browser only reads the forms' hidden inputs and the success text.
        async userCodeInputSource(ctx, form) {
          ctx.body = `<html><body>${form}</body></html>`;
        },
        async userCodeConfirmSource(ctx, form) {
          ctx.body = `<html><body>${form}</body></html>`;
        },
        async successSource(ctx) {
          ctx.body = "<html><body>Sign-in Success</body></html>";
        },
      },
      revocation: { enabled: true },
    },
    rotateRefreshToken: true,
    issueRefreshToken: async () => true,
    async findAccount(_ctx, sub) {
      if (sub !== ACCOUNT.sub) return undefined;
      return { accountId: sub, claims: async () => ({ ...ACCOUNT, email_verified: true }) };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    scopes: SCOPES,
    jwks: { keys: [{ ...signingKey, use: "sig", alg: "RS256" }] },
    cookies: { keys: ["oidc-test-cookie-key"] },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      DeviceCode: 600,
      Grant: 86_400,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: 86_400,
      Session: 86_400,
    },
  } as Configuration;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
