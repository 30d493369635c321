import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const json = (base, path, { method = "POST", body, headers = {} } = {}) =>
  fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

async function ok(res, what) {
  if (!res.ok) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

/** A user with a workspace and a dashboard JWT (email verification off in the bench config). */
export async function seedUser(base, webOrigin) {
  const email = `bench-${randomUUID()}@example.com`;
  const password = "bench passphrase 123";
  const origin = { origin: webOrigin };
  await ok(
    await json(base, "/api/auth/sign-up/email", {
      body: { email, password, name: "Bench" },
      headers: origin,
    }),
    "sign-up",
  );
  const signIn = await ok(
    await json(base, "/api/auth/sign-in/email", { body: { email, password }, headers: origin }),
    "sign-in",
  );
  const cookie = signIn.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  const ex = await ok(
    await json(base, "/api/internal/token/exchange", { body: {}, headers: { ...origin, cookie } }),
    "exchange",
  );
  const { accessToken, workspaceId } = await ex.json();
  return { jwt: accessToken, workspaceId, cookie };
}

/** An enrolled agent and its private key. */
export async function seedAgent(base, jwt, name = "bench agent") {
  const auth = { authorization: `Bearer ${jwt}` };
  const agent = await (
    await ok(await json(base, "/v1/agents", { body: { name }, headers: auth }), "agent")
  ).json();
  const secret = await (
    await ok(await json(base, `/v1/agents/${agent.id}/bootstrap-secrets`, { headers: auth }), "secret")
  ).json();
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = await exportJWK(publicKey);
  const boot = await ok(
    await json(base, "/v1/agents/bootstrap", {
      body: {
        bootstrapSecret: secret.bootstrapSecret,
        publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      },
    }),
    "bootstrap",
  );
  const { tokenEndpoint } = await boot.json();
  return { agentId: agent.id, privateKey, tokenEndpoint };
}

export async function signAssertion({ agentId, privateKey, tokenEndpoint }) {
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: "ES256" })
    .setIssuer(agentId)
    .setSubject(agentId)
    .setAudience(tokenEndpoint)
    .setIssuedAt(iat)
    .setExpirationTime(iat + 60)
    .setJti(randomUUID())
    .sign(privateKey);
}

export async function agentToken(base, agent) {
  const res = await ok(
    await json(base, "/v1/agents/token", {
      body: {
        grant_type: "client_credentials",
        client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
        client_assertion: await signAssertion(agent),
      },
    }),
    "agent token",
  );
  return (await res.json()).access_token;
}

/** A key connection to the local upstream (the generic key provider takes its origin in extra). */
export async function seedConnection(base, jwt, origin) {
  const res = await ok(
    await json(base, "/v1/connections/api-key", {
      body: { provider: "generic-api-key", label: "bench upstream", secret: "sk-bench", extra: { origin } },
      headers: { authorization: `Bearer ${jwt}` },
    }),
    "connection",
  );
  return (await res.json()).id;
}

/** Binds a policy document to an agent and a connection. */
export async function createPolicy(base, jwt, agentId, connectionId, document) {
  await ok(
    await json(base, "/v1/policies", {
      body: { agentId, connectionId, document },
      headers: { authorization: `Bearer ${jwt}` },
    }),
    "policy",
  );
}

/** Model B on the local upstream: GET /v1/items allowed, DELETE denied. */
export async function seedPolicy(base, jwt, agentId, connectionId, origin) {
  await createPolicy(base, jwt, agentId, connectionId, {
    version: 1,
    allowedModels: ["B"],
    defaultMode: "custom",
    defaultAction: "deny",
    allowlists: [{ origin, paths: ["/v1/**"], methods: ["GET", "DELETE"] }],
    requestRules: [
      { id: "r-read", match: { methods: ["GET"], path: "/v1/items" }, action: "allow" },
      { id: "r-no-delete", match: { methods: ["DELETE"] }, action: "deny" },
    ],
  });
}

/**
 * The dashboard's OAuth connect flow over HTTP: start → the user consents at the OAuth server
 * (`authorize` plays the browser there) → the callback, with the user's session cookie.
 */
export async function connectOAuth(base, user, authorize, provider = "generic") {
  const started = await ok(
    await json(base, `/v1/oauth/${provider}/start`, {
      body: {},
      headers: { authorization: `Bearer ${user.jwt}` },
    }),
    "oauth start",
  );
  const { authorizationUrl } = await started.json();
  const back = await authorize(new URL(authorizationUrl));
  const res = await fetch(`${base}${back.pathname}${back.search}`, {
    headers: { cookie: user.cookie },
    redirect: "manual",
  });
  const id = new URL(res.headers.get("location") ?? "", base).searchParams.get("connectionId");
  if (res.status !== 302 || !id)
    throw new Error(`oauth callback: ${res.status} ${res.headers.get("location")}`);
  return id;
}
