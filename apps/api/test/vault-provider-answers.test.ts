import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEvents } from "../src/db/schema/index.js";
import { createLogger } from "../src/lib/logger.js";
import {
  createCredentialScrubber,
  credentialForms,
  scrubCredential,
  scrubHeaders,
  scrubJson,
  scrubText,
} from "../src/modules/vault/steps/credential-echo.js";
import { enrolledAgent } from "./helpers/agents.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, type SignedInUser } from "./helpers/flows.js";

/**
 * What a provider's answer may carry to the agent. ARCHITECTURE §6.1: a provider that echoes the
 * credential it was sent ("Incorrect API key provided: sk-…") must not hand it to the agent,
 * buffered, streamed or through the LLM proxy; and headers that would act on the vault's own
 * origin (CORS grants, HSTS…) are dropped.
 */
const KEY = "sk-echo:0123456789abcdef";
const OPENAI_KEY = "sk-openai-ECHO-0123456789";
const REDACTED = "[REDACTED:credential]";
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

describe("credential scrubbing", () => {
  const forms = credentialForms(KEY, { authorization: `Bearer ${KEY}` });

  it("knows the secret and the header value the vault set, as sent and encoded", () => {
    const texts = [...forms.texts];
    for (const value of [KEY, `Bearer ${KEY}`]) {
      expect(texts).toEqual(
        expect.arrayContaining([
          value,
          encodeURIComponent(value),
          encodeURIComponent(value).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase()),
          Buffer.from(value).toString("base64"),
          Buffer.from(value).toString("base64url"),
        ]),
      );
    }
    // Longest first, so a header value is replaced whole before the secret inside it.
    expect(texts).toEqual([...texts].sort((a, b) => b.length - a.length));
    const slashy = credentialForms("AbC/def+GHI=jkl0123", {}).texts;
    expect(slashy).toContain("AbC\\/def+GHI=jkl0123");
    expect(credentialForms("short", { authorization: "Bearer short" }).texts).toContain("Bearer short");
    expect(credentialForms("short", { authorization: "Bearer short" }).texts).not.toContain("short");
  });

  it("computes the forms once per credential and injection", () => {
    const credential = {};
    const first = credentialForms(KEY, { authorization: `Bearer ${KEY}` }, credential);
    expect(credentialForms(KEY, { authorization: `Bearer ${KEY}` }, credential)).toBe(first);
    expect(credentialForms(KEY, { "x-api-key": KEY }, credential)).not.toBe(first);
    expect(forms.bytes.map(String)).toEqual(forms.texts);
  });

  it("finds the secret spelled out in JSON escapes once parsed, and in header names", () => {
    const spelled = [...KEY].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
    const parsed = JSON.parse(`{"error":"bad ${spelled}","${spelled}":1}`);
    expect(scrubCredential(Buffer.from(JSON.stringify(parsed)), forms).echoes).toBe(2);
    expect(scrubJson(parsed, forms)).toEqual({
      value: { error: `bad ${REDACTED}`, [REDACTED]: 1 },
      echoes: 2,
    });
    expect(
      scrubHeaders({ [`x-${KEY.replace(":", "")}`]: "1" }, credentialForms(KEY.replace(":", ""), {})),
    ).toEqual({
      [`x-${REDACTED}`]: "1",
    });
    expect(scrubText(`failed at host/bot${KEY}/x`, forms)).toBe(`failed at host/bot${REDACTED}/x`);
  });

  it("replaces every occurrence and counts them", () => {
    const body = Buffer.from(
      `{"m":"bad key ${KEY}","u":"/x?k=${encodeURIComponent(KEY)}","h":"Bearer ${KEY}"}`,
    );
    const { bytes, echoes } = scrubCredential(body, forms);
    expect(bytes.toString()).toBe(`{"m":"bad key ${REDACTED}","u":"/x?k=${REDACTED}","h":"${REDACTED}"}`);
    expect(echoes).toBe(3);
    const clean = Buffer.from('{"ok":true}');
    expect(scrubCredential(clean, forms).bytes).toBe(clean);
    expect(scrubHeaders({ "x-debug": `got ${KEY}` }, forms)).toEqual({ "x-debug": `got ${REDACTED}` });
  });

  it("catches a secret split anywhere across stream chunks", () => {
    const text = `data: {"a":"${KEY}"}\n\ndata: {"b":"x${KEY}${KEY}"}\n\n`;
    const expected = scrubCredential(Buffer.from(text), forms).bytes.toString();
    for (let i = 1; i < text.length; i++) {
      for (const j of [i + 1, i + 7, text.length - 1]) {
        if (j <= i || j >= text.length) continue;
        const scrubber = createCredentialScrubber(forms);
        const out = [text.slice(0, i), text.slice(i, j), text.slice(j)]
          .map((piece) => scrubber.push(Buffer.from(piece)).toString())
          .join("");
        expect(out + scrubber.end().toString()).toBe(expected);
      }
    }
  });

  it("holds nothing back when a chunk cannot be the start of the secret", () => {
    const scrubber = createCredentialScrubber(forms);
    const event = 'data: {"delta":"Hi"}\n\n';
    expect(scrubber.push(Buffer.from(event)).toString()).toBe(event);
    expect(scrubber.push(Buffer.from("data: sk-ec")).toString()).toBe("data: ");
    expect(scrubber.end().toString()).toBe("sk-ec");
  });
});

describe("a provider that echoes the credential", () => {
  let t: TestApp;
  let provider: Server;
  let origin: string;
  let owner: SignedInUser;
  let agent: Awaited<ReturnType<typeof enrolledAgent>>;
  let localId: string;

  beforeAll(async () => {
    provider = createServer((req, res) => {
      const auth = String(req.headers.authorization ?? "");
      const key = auth.replace(/^Bearer /, "");
      if (req.url === "/v1/echo-key" || req.url === "/v1/chat/completions") {
        res.writeHead(401, { "content-type": "application/json", "x-debug-auth": auth });
        return res.end(
          JSON.stringify({
            error: {
              message: `Incorrect API key provided: ${key}`,
              retry: `/v1?key=${encodeURIComponent(key)}`,
            },
          }),
        );
      }
      if (req.url === "/v1/echo-encoded") {
        // The same key, echoed the ways real services quote what they received.
        const spelled = [...key].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`).join("");
        res.writeHead(400, { "content-type": "application/json" });
        return res.end(
          `{"spelled":"${spelled}","b64":"${Buffer.from(auth).toString("base64")}",` +
            `"pct":"${encodeURIComponent(key).toLowerCase()}","ok":"fine"}`,
        );
      }
      if (req.url === "/v1/no-content") {
        // Nothing to decode, whatever the header says.
        res.writeHead(204, { "content-encoding": "gzip" });
        return res.end();
      }
      if (req.url === "/v1/accept-echo") {
        res.writeHead(200, { "content-type": "application/json" });
        return res.end(JSON.stringify({ accept: req.headers.accept, type: "application/json" }));
      }
      if (req.url === "/v1/gzip") {
        // A provider that compresses whatever it was asked, echoing the key inside.
        res.writeHead(401, { "content-type": "application/json", "content-encoding": "gzip" });
        return res.end(
          gzipSync(
            JSON.stringify({ error: `bad key ${key}`, acceptEncoding: req.headers["accept-encoding"] }),
          ),
        );
      }
      if (req.url === "/v1/gzip-stream") {
        res.writeHead(200, { "content-type": "text/event-stream", "content-encoding": "gzip" });
        return res.end(gzipSync(`data: {"debug":"${key}"}\n\ndata: [DONE]\n\n`));
      }
      if (req.url === "/v1/compress") {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "compress" });
        return res.end("\x1f\x9d...");
      }
      if (req.url === "/v1/bad-gzip") {
        res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" });
        return res.end("not gzip at all");
      }
      if (req.url === "/v1/created") {
        // Headers that would act on the vault's own origin, beside ordinary ones.
        res.writeHead(201, {
          "content-type": "application/json",
          location: "/v1/things/1",
          "x-ratelimit-remaining": "5",
          "access-control-allow-origin": "*",
          "access-control-allow-credentials": "true",
          "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
          "alt-svc": 'h3=":443"; ma=86400',
          "clear-site-data": '"cookies", "storage"',
          refresh: "0; url=https://evil.example/",
        });
        return res.end('{"id":"1"}');
      }
      if (req.url === "/v1/echo-stream") {
        // The key arrives split across two writes, as a slow provider might send it.
        res.writeHead(200, { "content-type": "text/event-stream" });
        res.write('data: {"delta":"Hello"}\n\n');
        res.write(`data: {"debug":"${key.slice(0, 9)}`);
        setTimeout(() => {
          res.write(`${key.slice(9)}"}\n\n`);
          res.end("data: [DONE]\n\n");
        }, 20);
        return;
      }
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
    t = await buildTestApp({
      // Development mode at trace level: every request and response is logged.
      logger: createLogger("trace", sink),
      env: { NODE_ENV: "development", VAULT_DEV_ALLOW_HOSTS: new URL(origin).host },
      llmUpstreams: { openai: `${origin}/v1` },
      verifyApiKey: async (input) => ({
        authType: "api_key",
        service: input.provider === "openai" ? "openai-api" : "generic-api-key-http",
        providerLabel: input.provider,
        accountId: `acct-${input.provider}`,
      }),
    });
    owner = await createUser(t.app, t.deps, "echo-owner@example.com", "Echo");
    agent = await enrolledAgent(t.app, owner.token, "Echoed");
    const connect = async (provider: string, secret: string, extra?: Record<string, string>) => {
      const res = await t.app.inject({
        method: "POST",
        url: "/v1/connections/api-key",
        headers: bearer(owner.token),
        payload: { provider, label: provider, secret, ...(extra ? { extra } : {}) },
      });
      expect(res.statusCode).toBe(201);
      const id = res.json().id as string;
      const bound = await t.app.inject({
        method: "POST",
        url: "/v1/policies",
        headers: bearer(owner.token),
        payload: {
          agentId: agent.id,
          connectionId: id,
          document: {
            version: 1,
            allowedModels: ["B"],
            defaultMode: "custom",
            defaultAction: "allow",
            allowlists: [{ origin, paths: ["/v1/**"], methods: ["GET", "POST"] }],
          },
        },
      });
      expect(bound.statusCode).toBe(201);
      return id;
    };
    localId = await connect("generic-api-key", KEY, { origin });
    await connect("openai", OPENAI_KEY);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => provider?.close(resolve));
  });

  const execute = (payload: object) =>
    t.app.inject({
      method: "POST",
      url: "/v1/vault/execute",
      headers: bearer(agent.token),
      payload: { model: "B", connectionId: localId, method: "GET", ...payload },
    });

  it("replaces it in a buffered error answer and its headers, and records the echo", async () => {
    const res = await execute({ url: `${origin}/v1/echo-key` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe(401);
    expect(res.body).not.toContain(KEY);
    expect(res.body).not.toContain(encodeURIComponent(KEY));
    expect(body.body.error.message).toBe(`Incorrect API key provided: ${REDACTED}`);
    expect(body.headers["x-debug-auth"]).toBe(REDACTED);
    await t.deps.auditWriter.flush();
    const [row] = await t.deps.database.db.select().from(auditEvents).where(eq(auditEvents.id, body.auditId));
    expect(row?.details).toMatchObject({ credentialEchoes: 2 }); // the message and the retry link
    expect(JSON.stringify(row)).not.toContain(KEY);
  });

  it("replaces it in a stream even when it is split across writes", async () => {
    const res = await execute({ url: `${origin}/v1/echo-stream`, stream: true });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(KEY);
    expect(res.body).toBe(`data: {"delta":"Hello"}\n\ndata: {"debug":"${REDACTED}"}\n\ndata: [DONE]\n\n`);
  });

  it("replaces it in what the LLM proxy passes through", async () => {
    const res = await t.app.inject({
      method: "POST",
      url: "/v1/vault/llm/openai/chat/completions",
      // A reverse proxy in front of the API may add these; they are not the agent's.
      headers: { "x-api-key": agent.token, "x-original-url": "/v1/vault/llm/openai/chat/completions" },
      payload: { model: "gpt-4o-mini", messages: [{ role: "user", content: "hi" }] },
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).not.toContain(OPENAI_KEY);
    expect(res.json().error.message).toBe(`Incorrect API key provided: ${REDACTED}`);
    expect(res.headers["x-debug-auth"]).toBe(REDACTED);
  });

  it("never writes the credential or the agent's token to the logs", async () => {
    await execute({ url: `${origin}/v1/echo-key`, headers: { "x-note": "hello" } });
    const log = logLines.join("");
    expect(log.length).toBeGreaterThan(0);
    for (const secret of [KEY, encodeURIComponent(KEY), OPENAI_KEY, agent.token]) {
      expect(log).not.toContain(secret);
    }
  });

  it("drops provider headers that would act on the vault's own origin, keeps the rest", async () => {
    const dropped = [
      "access-control-allow-origin",
      "access-control-allow-credentials",
      "strict-transport-security",
      "alt-svc",
      "clear-site-data",
      "refresh",
    ];
    const passedThrough = await t.app.inject({
      method: "POST",
      url: "/v1/vault/llm/openai/created",
      headers: { "x-api-key": agent.token },
      payload: {},
    });
    expect(passedThrough.statusCode).toBe(201);
    expect(passedThrough.headers).toMatchObject({ location: "/v1/things/1", "x-ratelimit-remaining": "5" });
    for (const name of dropped) expect(passedThrough.headers[name]).toBeUndefined();
    const enveloped = await execute({ method: "POST", url: `${origin}/v1/created` });
    expect(enveloped.json().headers).toMatchObject({
      location: "/v1/things/1",
      "x-ratelimit-remaining": "5",
    });
    for (const name of dropped) expect(enveloped.json().headers[name]).toBeUndefined();
  });

  it("asks for an uncompressed answer and decodes one that comes compressed anyway", async () => {
    const res = await execute({ url: `${origin}/v1/gzip`, headers: { "accept-encoding": "gzip, br" } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      status: 401,
      body: { error: `bad key ${REDACTED}`, acceptEncoding: "identity" },
    });
    expect(res.json().headers["content-encoding"]).toBeUndefined();
    const streamed = await execute({ url: `${origin}/v1/gzip-stream`, stream: true });
    expect(streamed.statusCode).toBe(200);
    expect(streamed.body).toBe(`data: {"debug":"${REDACTED}"}\n\ndata: [DONE]\n\n`);
    expect(streamed.headers["content-encoding"]).toBeUndefined();
  });

  it("fails an answer it cannot decode with PROVIDER_ERROR, audited", async () => {
    for (const path of ["/v1/compress", "/v1/bad-gzip"]) {
      const res = await execute({ url: `${origin}${path}` });
      expect(res.statusCode, path).toBe(502);
      expect(res.json()).toMatchObject({ code: "PROVIDER_ERROR", hint: expect.any(String) });
      const [row] = await t.deps.database.db
        .select()
        .from(auditEvents)
        .where(eq(auditEvents.id, res.json().details.auditId));
      expect(row).toMatchObject({ action: "vault.failed", code: "PROVIDER_ERROR" });
    }
  });

  it("replaces it however the provider encodes it: JSON escapes, base64 of the header, lowercase URL encoding", async () => {
    const res = await execute({ url: `${origin}/v1/echo-encoded` });
    expect(res.statusCode).toBe(200);
    expect(res.json().body).toEqual({ spelled: REDACTED, b64: REDACTED, pct: REDACTED, ok: "fine" });
    for (const form of [KEY, Buffer.from(`Bearer ${KEY}`).toString("base64"), "sk-echo%3a"]) {
      expect(res.body).not.toContain(form);
    }
  });

  it("passes a bodiless answer labelled gzip, and never mistakes an agent header for the credential", async () => {
    const empty = await execute({ url: `${origin}/v1/no-content` });
    expect(empty.statusCode).toBe(200);
    expect(empty.json()).toMatchObject({ status: 204 });
    // A value the injection trims is still the agent's own header, not a form of the credential.
    const echoed = await execute({
      url: `${origin}/v1/accept-echo`,
      headers: { accept: "application/json " },
    });
    expect(echoed.json().body).toEqual({ accept: "application/json", type: "application/json" });
    expect(echoed.body).not.toContain(REDACTED);
  });
});
