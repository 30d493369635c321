import { randomUUID } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";
import type { App } from "../../src/app.js";
import { API_URL } from "./app.js";
import { bearer } from "./flows.js";

export const TOKEN_ENDPOINT = `${API_URL}/v1/agents/token`;

export interface AgentKey {
  alg: "ES256" | "EdDSA";
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function agentKey(alg: "ES256" | "EdDSA" = "ES256"): Promise<AgentKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, alg === "EdDSA" ? { crv: "Ed25519" } : {});
  const jwk = await exportJWK(publicKey);
  return {
    alg,
    privateKey,
    publicJwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, ...(jwk.y ? { y: jwk.y } : {}) },
  };
}

export interface AssertionOptions {
  aud?: string;
  iatOffset?: number;
  lifetime?: number;
  jti?: string;
  sub?: string;
  alg?: string;
}

/** An RFC 7523 client assertion as an agent SDK would sign it. */
export async function signAssertion(
  agentId: string,
  key: AgentKey,
  o: AssertionOptions = {},
): Promise<string> {
  const iat = Math.floor(Date.now() / 1000) + (o.iatOffset ?? 0);
  return new SignJWT({})
    .setProtectedHeader({ alg: o.alg ?? key.alg })
    .setIssuer(agentId)
    .setSubject(o.sub ?? agentId)
    .setAudience(o.aud ?? TOKEN_ENDPOINT)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (o.lifetime ?? 60))
    .setJti(o.jti ?? randomUUID())
    .sign(key.privateKey);
}

export async function createAgent(app: App, humanToken: string, name: string) {
  const res = await app.inject({
    method: "POST",
    url: "/v1/agents",
    headers: bearer(humanToken),
    payload: { name },
  });
  if (res.statusCode !== 201) throw new Error(`create agent: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; status: string };
}

export async function issueSecret(app: App, humanToken: string, agentId: string) {
  const res = await app.inject({
    method: "POST",
    url: `/v1/agents/${agentId}/bootstrap-secrets`,
    headers: bearer(humanToken),
  });
  if (res.statusCode !== 201) throw new Error(`bootstrap secret: ${res.statusCode} ${res.body}`);
  return res.json().bootstrapSecret as string;
}

export const bootstrap = (app: App, secret: string, publicKey: object) =>
  app.inject({
    method: "POST",
    url: "/v1/agents/bootstrap",
    payload: { bootstrapSecret: secret, publicKey },
  });

export const requestToken = (app: App, assertion: string) =>
  app.inject({
    method: "POST",
    url: "/v1/agents/token",
    payload: {
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    },
  });

/** Create → secret → bootstrap → token: an enrolled agent with a live access token. */
export async function enrolledAgent(
  app: App,
  humanToken: string,
  name: string,
  alg: "ES256" | "EdDSA" = "ES256",
) {
  const agent = await createAgent(app, humanToken, name);
  const key = await agentKey(alg);
  const secret = await issueSecret(app, humanToken, agent.id);
  const enrolled = await bootstrap(app, secret, key.publicJwk);
  if (enrolled.statusCode !== 200) throw new Error(`bootstrap: ${enrolled.statusCode} ${enrolled.body}`);
  const tok = await requestToken(app, await signAssertion(agent.id, key));
  if (tok.statusCode !== 200) throw new Error(`token: ${tok.statusCode} ${tok.body}`);
  return { id: agent.id, key, token: tok.json().access_token as string };
}
