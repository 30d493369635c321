import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSigningKeyService } from "../src/modules/keys/index.js";
import { buildTestApp, type TestApp, WEB_ORIGIN } from "./helpers/app.js";
import { bearer, createUser, exchange, type SignedInUser } from "./helpers/flows.js";

let t: TestApp;
let user: SignedInUser;
beforeAll(async () => {
  t = await buildTestApp();
  user = await createUser(t.app, t.deps, "jwt@example.com", "Jay");
});
afterAll(async () => {
  await t?.close();
});

const current = (token: string) =>
  t.app.inject({ method: "GET", url: "/v1/workspaces/current", headers: bearer(token) });

/** A second signer on the same keys, with one thing changed. */
function signerWith(change: { issuer?: string; audience?: string; clockOffsetMs?: number }) {
  return createSigningKeyService({
    database: t.deps.database,
    encryptor: t.deps.encryptor,
    invalidation: t.deps.invalidation,
    clock: { now: () => new Date(Date.now() + (change.clockOffsetMs ?? 0)) },
    issuer: change.issuer ?? t.deps.config.JWT_ISSUER,
    audience: change.audience ?? "api",
  });
}

const claims = () => ({
  sub: user.userId,
  wid: user.workspaceId,
  roles: ["owner"],
  scp: [],
  sid: "s",
  jti: "j",
});

async function expectRejected(token: string, code: string, reason: string) {
  const res = await current(token);
  expect(res.statusCode).toBe(401);
  expect(res.json()).toMatchObject({ code, details: { reason }, hint: expect.any(String) });
}

describe("JWT verification", () => {
  it("accepts a fresh token", async () => {
    expect((await current(user.token)).statusCode).toBe(200);
  });

  it("rejects a missing or malformed Authorization header", async () => {
    expect((await t.app.inject({ method: "GET", url: "/v1/workspaces/current" })).json().code).toBe(
      "UNAUTHENTICATED",
    );
    const res = await t.app.inject({
      method: "GET",
      url: "/v1/workspaces/current",
      headers: { authorization: "Basic abc" },
    });
    expect(res.statusCode).toBe(401);
  });

  it("rejects an expired token with TOKEN_EXPIRED", async () => {
    const token = await signerWith({ clockOffsetMs: -3_600_000 }).sign(claims());
    await expectRejected(token, "TOKEN_EXPIRED", "expired");
  });

  it("tolerates 30 s of clock skew but not more", async () => {
    expect((await current(await signerWith({ clockOffsetMs: -320_000 }).sign(claims()))).statusCode).toBe(
      200,
    );
    await expectRejected(
      await signerWith({ clockOffsetMs: -340_000 }).sign(claims()),
      "TOKEN_EXPIRED",
      "expired",
    );
  });

  it("rejects a wrong audience", async () => {
    await expectRejected(
      await signerWith({ audience: "web" }).sign(claims()),
      "UNAUTHENTICATED",
      "wrong_audience",
    );
  });

  it("rejects a wrong issuer", async () => {
    await expectRejected(
      await signerWith({ issuer: "https://evil.example" }).sign(claims()),
      "UNAUTHENTICATED",
      "wrong_issuer",
    );
  });

  it("rejects alg: none", async () => {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const now = Math.floor(Date.now() / 1000);
    const token = `${enc({ alg: "none", typ: "JWT" })}.${enc({ ...claims(), iss: "web", aud: "api", iat: now, exp: now + 60 })}.`;
    await expectRejected(token, "UNAUTHENTICATED", "unsupported_alg");
  });

  it("rejects an HS256 token signed with the public key as secret (alg confusion)", async () => {
    const jwks = (await t.app.inject({ method: "GET", url: "/.well-known/jwks.json" })).json();
    const secret = new TextEncoder().encode(JSON.stringify(jwks.keys[0]));
    const token = await new SignJWT({ ...claims() })
      .setProtectedHeader({ alg: "HS256", kid: jwks.keys[0].kid })
      .setIssuer("web")
      .setAudience("api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(secret);
    await expectRejected(token, "UNAUTHENTICATED", "unsupported_alg");
  });

  it("rejects an unknown kid", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const token = await new SignJWT({ ...claims() })
      .setProtectedHeader({ alg: "ES256", kid: "not-a-key-we-know" })
      .setIssuer("web")
      .setAudience("api")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(privateKey);
    await expectRejected(token, "UNAUTHENTICATED", "unknown_kid");
  });

  it("rejects a tampered payload (bad signature)", async () => {
    const [h, p, s] = user.token.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(p, "base64url").toString());
    payload.roles = ["owner", "admin"];
    const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}.${s}`;
    await expectRejected(forged, "UNAUTHENTICATED", "bad_signature");
  });

  it("rejects garbage", async () => {
    await expectRejected("not.a.jwt", "UNAUTHENTICATED", "malformed");
  });

  it("never echoes the token in an error", async () => {
    const res = await current(`${user.token}x`);
    expect(res.body).not.toContain(user.token);
  });
});

describe("signing key rotation", () => {
  it("keeps tokens signed by the previous key valid until they expire, and publishes both keys", async () => {
    const before = await exchange(t.app, user.cookie);
    const oldToken = before.json().accessToken as string;
    const oldKid = JSON.parse(Buffer.from(oldToken.split(".")[0] as string, "base64url").toString()).kid;

    const { kid, previousKid } = await t.deps.keys.rotate();
    expect(previousKid).toBe(oldKid);
    expect(kid).not.toBe(oldKid);

    expect((await current(oldToken)).statusCode).toBe(200);
    const fresh = (await exchange(t.app, user.cookie)).json().accessToken as string;
    expect(JSON.parse(Buffer.from(fresh.split(".")[0] as string, "base64url").toString()).kid).toBe(kid);
    expect((await current(fresh)).statusCode).toBe(200);

    const jwks = await t.app.inject({ method: "GET", url: "/.well-known/jwks.json" });
    expect(jwks.headers["cache-control"]).toBe("public, max-age=300");
    const keys = jwks.json().keys as Array<Record<string, string>>;
    expect(keys.map((k) => k.kid).sort()).toEqual([kid, oldKid].sort());
    for (const k of keys) {
      expect(k).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig" });
      expect(k.d).toBeUndefined();
    }
  });

  it("drops the previous key from the JWKS once its tokens can no longer be valid", async () => {
    const late = signerWith({ clockOffsetMs: 10 * 60_000 });
    const keys = (await late.reload()).jwks.keys;
    expect(keys).toHaveLength(1);
  });

  it("stores private keys only as envelopes", async () => {
    const rows = await t.deps.database.db.query.signingKeys.findMany();
    for (const row of rows) {
      expect(row.privateKeyEnvelope).toMatchObject({ v: 1, kid: expect.any(String) });
      expect(JSON.stringify(row)).not.toContain("PRIVATE KEY");
    }
  });
});

describe("sensitive routes check the session live", () => {
  it("refuses a still-unexpired JWT after sign-out", async () => {
    const u = await createUser(t.app, t.deps, "signout@example.com", "Sam");
    const out = await t.app.inject({
      method: "POST",
      url: "/api/auth/sign-out",
      headers: { origin: WEB_ORIGIN, cookie: u.cookie, "content-type": "application/json" },
      payload: {},
    });
    expect(out.statusCode).toBe(200);
    // An ordinary route still accepts the token until it expires (5 minutes)...
    expect((await current(u.token)).statusCode).toBe(200);
    // ...but a ⚑ route checks the session and refuses it.
    const res = await t.app.inject({
      method: "DELETE",
      url: "/v1/workspaces/current",
      headers: { ...bearer(u.token), "content-type": "application/json" },
      payload: { confirmName: "Sam's workspace" },
    });
    expect(res.statusCode).toBe(401);
    expect(res.json().details.reason).toBe("session_revoked");
  });
});
