import { encodeKey, generateKey } from "@agenthifive/security";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connections, workspaceOAuthApps } from "../src/db/schema/index.js";
import { reencryptBatch } from "../src/jobs/reencrypt.js";
import type { VerifiedKey } from "../src/modules/connections/credential.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

/** Encryption key rotation re-encrypts stored secrets in the background, with no downtime. */
const OLD = `old-1:${encodeKey(generateKey())}`;
const NEW = `new-2:${encodeKey(generateKey())}`;
const SECRET = "sk-rotate-me-0123456789";
const seen: string[] = [];
const verifyApiKey = async (input: { secret: string }): Promise<VerifiedKey> => {
  seen.push(input.secret);
  return {
    authType: "api_key",
    service: "generic-api-key-http",
    providerLabel: "Local",
    accountId: "acct-r",
  };
};

let before: TestApp;
let after: TestApp;
let afterOnlyNew: TestApp;
let owner: SignedInUser;
let connectionId: string;

beforeAll(async () => {
  before = await buildTestApp({ env: { ENCRYPTION_KEYS: OLD }, verifyApiKey });
  owner = await createUser(before.app, before.deps, "rotate@example.com", "Rae");
  const conn = await before.app.inject({
    method: "POST",
    url: "/v1/connections/api-key",
    headers: bearer(owner.token),
    payload: {
      provider: "generic-api-key",
      label: "Rotating",
      secret: SECRET,
      extra: { origin: "https://api.example.com" },
    },
  });
  connectionId = conn.json().id;
  const app = await before.app.inject({
    method: "POST",
    url: "/v1/oauth-apps",
    headers: bearer(owner.token),
    payload: { provider: "google", label: "Ours", clientId: "cid", clientSecret: "client-secret-rotate" },
  });
  expect(app.statusCode).toBe(201);
  const shared = { AUTH_SECRET: before.deps.config.AUTH_SECRET as string };
  after = await buildTestApp({
    sharedDatabase: before.deps.database,
    env: { ...shared, ENCRYPTION_KEYS: `${NEW},${OLD}` },
    verifyApiKey,
  });
});
afterAll(async () => {
  await afterOnlyNew?.close();
  await after?.close();
  await before?.close();
});

const kids = async () => {
  const [c] = await before.deps.database.db
    .select()
    .from(connections)
    .where(eq(connections.id, connectionId));
  const [a] = await before.deps.database.db.select().from(workspaceOAuthApps);
  return [c?.credentialEnvelope?.kid, a?.clientSecretEnvelope.kid];
};
const probe = (t: TestApp) =>
  t.app.inject({ method: "POST", url: `/v1/connections/${connectionId}/test`, headers: bearer(owner.token) });

describe("encryption key rotation", () => {
  it("a replica with the new key first still reads envelopes written under the old one", async () => {
    expect(await kids()).toEqual(["old-1", "old-1"]);
    expect((await probe(after)).json()).toMatchObject({ ok: true });
    expect(seen.at(-1)).toBe(SECRET);
  });

  it("the job re-encrypts every envelope under the active key, then has nothing left to do", async () => {
    const ring = { activeKid: "new-2", kids: () => ["new-2", "old-1"] };
    // The connection, the OAuth app's secret and the JWT signing key.
    expect(await reencryptBatch(after.deps.database, after.deps.encryptor, ring)).toBe(3);
    expect(await kids()).toEqual(["new-2", "new-2"]);
    expect(await reencryptBatch(after.deps.database, after.deps.encryptor, ring)).toBe(0);
  });

  it("after the rotation the old key can be removed", async () => {
    afterOnlyNew = await buildTestApp({
      sharedDatabase: before.deps.database,
      env: { AUTH_SECRET: before.deps.config.AUTH_SECRET as string, ENCRYPTION_KEYS: NEW },
      verifyApiKey,
    });
    expect((await probe(afterOnlyNew)).json()).toMatchObject({ ok: true });
    expect(seen.at(-1)).toBe(SECRET);
    // A replica that only knows the old key now fails closed instead of reading garbage.
    const stale = await probe(before);
    expect(stale.statusCode).toBe(500);
    expect(stale.body).not.toContain(SECRET);
  });

  it("leaves envelopes under a key it does not hold alone", async () => {
    const ring = { activeKid: "third-3", kids: () => ["third-3"] };
    expect(await reencryptBatch(after.deps.database, after.deps.encryptor, ring)).toBe(0);
    expect(await kids()).toEqual(["new-2", "new-2"]);
  });
});
