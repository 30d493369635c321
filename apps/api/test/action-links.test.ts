import { Writable } from "node:stream";
import { generateToken, hashToken } from "@agenthifive/security";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../src/db/client.js";
import { createLogger } from "../src/lib/logger.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, exchange } from "./helpers/flows.js";
import { approvalSetup, manualClock } from "./helpers/notifications.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";
import { dumpRows, rawTokenForms } from "./helpers/stored-secrets.js";
import { startUpstream, type Upstream } from "./helpers/upstream.js";

const clock = manualClock();
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});
const links: string[] = [];
let t: TestApp;
let provider: Awaited<ReturnType<typeof startProviderUpstream>>;
let receiver: Upstream;
let setup: Awaited<ReturnType<typeof approvalSetup>>;
let channelId: string;

const pathOf = (url: string) => new URL(url).pathname;

/** Asks for an approval, delivers it to the webhook and returns the approval id and its link path. */
async function approvalWithLink() {
  const approvalId = await setup.askApproval();
  await t.deps.notifications.deliverDue();
  const body = JSON.parse(receiver.requests.at(-1)?.body ?? "{}");
  expect(body.data.ids.approvalId).toBe(approvalId);
  const link = pathOf(body.data.actions.url as string);
  links.push(link);
  return { approvalId, link };
}

const approval = async (id: string) => {
  setup.owner.token = (await exchange(t.app, setup.owner.cookie)).json().accessToken;
  return (
    await t.app.inject({ method: "GET", url: `/v1/approvals/${id}`, headers: bearer(setup.owner.token) })
  ).json();
};
const usedAt = async (approvalId: string) =>
  rowsOf<{ used_at: unknown }>(
    await t.deps.database.db.execute(
      sql`select used_at from t_approval_action_tokens where approval_id = ${approvalId}`,
    ),
  ).map((r) => r.used_at);
const decide = (link: string, decision: string, extra: object = {}) =>
  t.app.inject({ method: "POST", url: link, payload: { decision, ...extra } });

beforeAll(async () => {
  provider = await startProviderUpstream();
  receiver = await startUpstream((_req, res) => {
    res.writeHead(204);
    res.end();
  });
  t = await buildTestApp({
    clock,
    logger: createLogger("trace", sink),
    // Development mode: Fastify logs every request with its URL, which carries the token.
    env: { NODE_ENV: "development", VAULT_DEV_ALLOW_HOSTS: `${provider.host},${receiver.host}` },
    verifyApiKey: async () => ({
      authType: "api_key",
      service: "generic-api-key-http",
      providerLabel: "Local API",
      accountId: "acct-1",
    }),
  });
  setup = await approvalSetup(t, provider.origin, "links-owner@example.com");
  const created = await t.app.inject({
    method: "POST",
    url: "/v1/notification-channels",
    headers: bearer(setup.owner.token),
    payload: { type: "webhook", label: "Links", config: { url: `${receiver.origin}/hook` } },
  });
  channelId = created.json().channel.id;
  const test = await t.app.inject({
    method: "POST",
    url: `/v1/notification-channels/${channelId}/test`,
    headers: bearer(setup.owner.token),
  });
  expect(test.statusCode).toBe(200);
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
  await receiver?.close();
});

describe("action links", () => {
  it("a GET shows a confirmation page and changes nothing, however often it is fetched", async () => {
    const { approvalId, link } = await approvalWithLink();
    for (let i = 0; i < 3; i++) {
      const page = await t.app.inject({ method: "GET", url: `${link}?decision=approve` });
      expect(page.statusCode).toBe(200);
      expect(page.headers["content-type"]).toMatch(/^text\/html/);
      expect(page.headers["cache-control"]).toBe("no-store");
      expect(page.headers["referrer-policy"]).toBe("no-referrer");
      expect(page.headers["content-security-policy"]).toContain("form-action 'self'");
      expect(page.body).toContain("Notifier agent");
      expect(page.body).toContain("/v1/echo");
      expect(page.body).toMatch(/<form method="post">/);
      expect(page.body).toContain('value="approve"');
    }
    const json = await t.app.inject({ method: "GET", url: link, headers: { accept: "application/json" } });
    expect(json.statusCode).toBe(200);
    expect(json.json()).toMatchObject({
      approvalId,
      status: "pending",
      agentName: "Notifier agent",
      request: { method: "POST", path: "/v1/echo" },
      channelType: "webhook",
    });
    expect((await approval(approvalId)).status).toBe("pending");
    expect(await usedAt(approvalId)).toEqual([null]);
  });

  it("stores link tokens as their SHA-256 hash only, never the raw token", async () => {
    const { approvalId, link } = await approvalWithLink();
    const token = link.split("/").at(-1) as string;
    expect(token).toMatch(/^ah5a_/);
    const rows = await t.deps.database.db.query.approvalActionTokens.findMany();
    const text = dumpRows(rows);
    for (const minted of links) {
      for (const form of rawTokenForms(minted.split("/").at(-1) as string)) expect(text).not.toContain(form);
    }
    const row = rows.find((r) => r.approvalId === approvalId);
    expect(row?.tokenHash.toString("hex")).toBe(hashToken(token).toString("hex"));
    for (const r of rows) expect(r.tokenHash).toHaveLength(32);
  });

  it("a POST approves once through the approvals path; a second POST is refused", async () => {
    const { approvalId, link } = await approvalWithLink();
    const res = await decide(link, "approve", { comment: "ok from the hook" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.json()).toMatchObject({ approvalId, status: "approved", decidedAt: expect.any(String) });
    expect(await approval(approvalId)).toMatchObject({
      status: "approved",
      decisionChannel: "webhook",
      decidedBy: null,
    });
    const again = await decide(link, "deny");
    expect(again.statusCode).toBe(410);
    expect(again.json()).toMatchObject({ code: "ACTION_LINK_INVALID", hint: expect.any(String) });
    expect((await approval(approvalId)).status).toBe("approved");
    const page = await t.app.inject({ method: "GET", url: link });
    expect(page.statusCode).toBe(410);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);

    const audit = await t.app.inject({
      method: "GET",
      url: "/v1/audit?action=approval.decided",
      headers: bearer(setup.owner.token),
    });
    const row = audit
      .json()
      .items.find((e: { targetId?: string; target?: unknown }) => JSON.stringify(e).includes(approvalId));
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain("ah5a_");
  });

  it("a form POST from the page (with its nonce) denies and answers with a page; one without is refused", async () => {
    const { approvalId, link } = await approvalWithLink();
    const form = (payload: string) =>
      t.app.inject({
        method: "POST",
        url: link,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload,
      });
    // A form posted from anywhere else (no nonce, or a forged one) decides nothing.
    const shouted = await t.app.inject({
      method: "POST",
      url: link,
      headers: { "content-type": "Application/X-WWW-Form-Urlencoded" },
      payload: "decision=approve",
    });
    expect(shouted.statusCode).toBe(403);
    for (const payload of ["decision=approve&comment=", "decision=approve&nonce=forged"]) {
      const refused = await form(payload);
      expect(refused.statusCode).toBe(403);
      expect(refused.headers["content-type"]).toMatch(/^text\/html/);
      expect(refused.body).toContain("Open the link again");
    }
    expect((await approval(approvalId)).status).toBe("pending");
    const page = await t.app.inject({ method: "GET", url: link });
    const nonce = /name="nonce" value="([^"]+)"/.exec(page.body)?.[1];
    expect(nonce).toBeDefined();
    const res = await form(`decision=deny&comment=&nonce=${encodeURIComponent(nonce ?? "")}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    expect(res.body).toContain("Request denied");
    expect((await approval(approvalId)).status).toBe("denied");
  });

  it("two clicks racing: one decision wins, the other is refused", async () => {
    const { approvalId, link } = await approvalWithLink();
    const results = await Promise.all([decide(link, "approve"), decide(link, "deny")]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([200, 410]);
    const winner = results.find((r) => r.statusCode === 200)?.json().status;
    expect((await approval(approvalId)).status).toBe(winner);
  });

  it("a link is refused once the approval was decided elsewhere, and stays unused", async () => {
    const { approvalId, link } = await approvalWithLink();
    const dash = await t.app.inject({
      method: "POST",
      url: `/v1/approvals/${approvalId}/deny`,
      headers: bearer(setup.owner.token),
    });
    expect(dash.statusCode).toBe(200);
    const res = await decide(link, "approve");
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: "CONFLICT", details: { reason: "already_decided" } });
    expect(await usedAt(approvalId)).toEqual([null]);
    const page = await t.app.inject({ method: "GET", url: link });
    expect(page.body).toContain("already <strong>denied</strong>");
  });

  it("expired, unknown and malformed tokens are refused without changing anything", async () => {
    const { approvalId, link } = await approvalWithLink();
    clock.advance(15 * 60_000 + 1000);
    for (const url of [link, `/v1/action-links/${generateToken("ah5a")}`, "/v1/action-links/ah5a_short"]) {
      const view = await t.app.inject({ method: "GET", url, headers: { accept: "application/json" } });
      expect(view.statusCode, url).toBe(410);
      expect(view.json().code).toBe("ACTION_LINK_INVALID");
      const post = await decide(url, "approve");
      expect(post.statusCode, url).toBe(410);
    }
    expect(await usedAt(approvalId)).toEqual([null]);
    expect((await approval(approvalId)).decidedAt).toBeNull();
    const badBody = await decide(link, "maybe");
    expect(badBody.statusCode).toBe(400);
  });

  it("disabling the channel suspends its links", async () => {
    const { approvalId, link } = await approvalWithLink();
    setup.owner.token = (await exchange(t.app, setup.owner.cookie)).json().accessToken;
    const toggle = (enabled: boolean) =>
      t.app.inject({
        method: "PATCH",
        url: `/v1/notification-channels/${channelId}`,
        headers: bearer(setup.owner.token),
        payload: { enabled },
      });
    expect((await toggle(false)).statusCode).toBe(200);
    try {
      expect((await decide(link, "approve")).statusCode).toBe(410);
      expect((await approval(approvalId)).status).toBe("pending");
    } finally {
      expect((await toggle(true)).statusCode).toBe(200);
    }
    expect((await decide(link, "approve")).statusCode).toBe(200);
  });

  it("deleting the channel voids its links", async () => {
    const { link } = await approvalWithLink();
    setup.owner.token = (await exchange(t.app, setup.owner.cookie)).json().accessToken;
    const del = await t.app.inject({
      method: "DELETE",
      url: `/v1/notification-channels/${channelId}`,
      headers: bearer(setup.owner.token),
    });
    expect(del.statusCode).toBe(204);
    expect((await decide(link, "approve")).statusCode).toBe(410);
  });

  it("is rate limited per client address", async () => {
    let limited: Awaited<ReturnType<typeof decide>> | undefined;
    for (let i = 0; i < 25 && !limited; i++) {
      const res = await decide(`/v1/action-links/${generateToken("ah5a")}`, "approve");
      if (res.statusCode === 429) limited = res;
    }
    expect(limited?.json()).toMatchObject({ code: "RATE_LIMITED", hint: expect.any(String) });
    expect(limited?.headers["retry-after"]).toBeDefined();
  });

  it("never writes a link token to the logs, although request URLs are logged", () => {
    const logs = logLines.join("\n");
    expect(logs).toContain("/v1/action-links/ah5a_[redacted]");
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) expect(logs).not.toContain(link.split("/").at(-1) as string);
  });
});
