import { randomUUID } from "node:crypto";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

/** The agent side of the flow, over plain HTTP, as an SDK would do it (API.md §3.5, §3.9). */
export class TestAgent {
  token?: string;

  constructor(private readonly api: string) {}

  async enroll(bootstrapSecret: string): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair("ES256");
    const jwk = await exportJWK(publicKey);
    const res = await this.post("/v1/agents/bootstrap", {
      bootstrapSecret,
      publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    });
    if (res.status !== 200) throw new Error(`bootstrap: ${res.status} ${JSON.stringify(res.body)}`);
    const body = res.body as { agentId: string; tokenEndpoint: string };
    const iat = Math.floor(Date.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: "ES256" })
      .setIssuer(body.agentId)
      .setSubject(body.agentId)
      .setAudience(body.tokenEndpoint)
      .setIssuedAt(iat)
      .setExpirationTime(iat + 60)
      .setJti(randomUUID())
      .sign(privateKey);
    const tok = await this.post("/v1/agents/token", {
      grant_type: "client_credentials",
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: assertion,
    });
    if (tok.status !== 200) throw new Error(`token: ${tok.status} ${JSON.stringify(tok.body)}`);
    this.token = (tok.body as { access_token: string }).access_token;
  }

  execute(body: Record<string, unknown>) {
    return this.post("/v1/vault/execute", body, { authorization: `Bearer ${this.token}` });
  }

  async post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${this.api}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed as Record<string, unknown> };
  }
}
