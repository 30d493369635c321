import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rowsOf } from "../src/db/client.js";
import { createLogger } from "../src/lib/logger.js";
import { buildTestApp, type TestApp } from "./helpers/app.js";
import { bearer, createUser, exchange, type SignedInUser } from "./helpers/flows.js";
import { approvalSetup, manualClock, memberWithRole, verifyWebhook } from "./helpers/notifications.js";
import { startProviderUpstream } from "./helpers/provider-upstream.js";
import { type RecordedRequest, startUpstream, type Upstream } from "./helpers/upstream.js";

const BOT_TOKEN = "123456:telegram-bot-secret-token";
const SLACK_BOT_TOKEN = "xoxb-slack-bot-secret-token";
/** What the local Slack Web API stand-in answers to chat.postMessage. */
let slackApiOk = true;
const PATH_SECRET = "s3cr3t-path-part";
const logLines: string[] = [];
const sink = new Writable({
  write(chunk, _enc, done) {
    logLines.push(String(chunk));
    done();
  },
});

const clock = manualClock();
let t: TestApp;
let provider: Awaited<ReturnType<typeof startProviderUpstream>>;
let receiver: Upstream;
/** Status the `/hook/flaky` path answers with; `/hook/ok`, Slack and Telegram always succeed. */
let flakyStatus = 200;
let setup: Awaited<ReturnType<typeof approvalSetup>>;
let owner: SignedInUser;
const secrets: string[] = [BOT_TOKEN, SLACK_BOT_TOKEN, PATH_SECRET];

const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);
const hooks = (path: string) => receiver.requests.filter((r) => r.url.startsWith(path));
const last = (path: string) => hooks(path).at(-1) as RecordedRequest;

const api = (method: string, url: string, payload?: unknown, token = owner.token) =>
  t.app.inject({
    method: method as "GET",
    url,
    headers: bearer(token),
    ...(payload === undefined ? {} : { payload: payload as object }),
  });

async function createChannel(body: object) {
  const res = await api("POST", "/v1/notification-channels", body);
  expect(res.statusCode, res.body).toBe(201);
  const json = res.json() as {
    channel: { id: string; config: Record<string, unknown> };
    signingSecret?: string;
  };
  if (json.signingSecret) secrets.push(json.signingSecret);
  return json;
}

/** A fresh JWT for the owner after the clock moved (JWTs live 5 minutes). */
async function refreshOwner() {
  owner.token = (await exchange(t.app, owner.cookie)).json().accessToken;
}

beforeAll(async () => {
  provider = await startProviderUpstream();
  receiver = await startUpstream((req, res) => {
    const url = req.url ?? "";
    if (url.startsWith("/slack-api/")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify(slackApiOk ? { ok: true } : { ok: false, error: "channel_not_found" }));
    }
    if (url.startsWith("/bot")) {
      res.writeHead(200, { "content-type": "application/json" });
      return res.end(JSON.stringify({ ok: true, result: { message_id: 1 } }));
    }
    const status = url.startsWith("/hook/flaky") ? flakyStatus : 200;
    res.writeHead(status, { "content-type": "text/plain" });
    res.end(status === 200 ? "ok" : "boom");
  });
  t = await buildTestApp({
    clock,
    logger: createLogger("trace", sink),
    env: { VAULT_DEV_ALLOW_HOSTS: `${provider.host},${receiver.host}` },
    notificationEndpoints: { telegramApi: receiver.origin, slackApi: `${receiver.origin}/slack-api` },
    verifyApiKey: async (input) =>
      input.provider === "telegram"
        ? { authType: "bot_token", service: "telegram", providerLabel: "Telegram bot", accountId: "bot-1" }
        : {
            authType: "api_key",
            service: "generic-api-key-http",
            providerLabel: "Local API",
            accountId: "acct-1",
          },
  });
  setup = await approvalSetup(t, provider.origin, "notify-owner@example.com");
  owner = setup.owner;
});
afterAll(async () => {
  await t?.close();
  await provider?.close();
  await receiver?.close();
});

describe("channel management", () => {
  it("creates a webhook channel: secret shown once, URL path never shown, audited without config", async () => {
    const res = await api("POST", "/v1/notification-channels", {
      type: "webhook",
      label: "Ops hook",
      events: ["approval.created"],
      config: { url: `${receiver.origin}/hook/ok/${PATH_SECRET}?k=${PATH_SECRET}` },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers["cache-control"]).toBe("no-store");
    const { channel, signingSecret } = res.json();
    secrets.push(signingSecret);
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(channel).toMatchObject({
      type: "webhook",
      label: "Ops hook",
      enabled: true,
      verified: false,
      events: ["approval.created"],
      config: { url: `${receiver.origin}/…` },
      lastError: null,
    });
    expect(res.body).not.toContain(PATH_SECRET);

    const list = await api("GET", "/v1/notification-channels");
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { id: string }) => c.id)).toContain(channel.id);
    const one = await api("GET", `/v1/notification-channels/${channel.id}`);
    for (const body of [list.body, one.body]) {
      expect(body).not.toContain(PATH_SECRET);
      expect(body).not.toContain(signingSecret);
      expect(body).not.toContain("whsec_");
    }
    const audit = await api("GET", "/v1/audit?action=channel.created");
    expect(audit.statusCode).toBe(200);
    expect(audit.body).toContain(channel.id);
    expect(audit.body).not.toContain(PATH_SECRET);
    expect(audit.body).not.toContain(signingSecret);
  });

  it("rejects invalid configs with a code, the field and a hint", async () => {
    const cases: [object, string][] = [
      [{ type: "webhook", label: "x1", config: { url: "http://10.0.0.7/hook" } }, "config.url"],
      [{ type: "webhook", label: "x2", config: { url: "https://169.254.169.254/latest" } }, "config.url"],
      [{ type: "webhook", label: "x3", config: { url: "not a url at all" } }, "config.url"],
      [{ type: "email", label: "x4", config: { email: "nope" } }, "body.config.email"],
      [
        {
          type: "slack",
          label: "x5",
          config: { webhookUrl: "https://example.com/hook", channelId: "C0123ABCD" },
        },
        "config",
      ],
      [
        { type: "slack", label: "x6", config: { webhookUrl: "https://example.com/services/x" } },
        "config.webhookUrl",
      ],
      [{ type: "slack", label: "x7", config: { channelId: "C0123ABCD" } }, "connectionId"],
      [{ type: "telegram", label: "x8", config: { chatId: "42" } }, "body.connectionId"],
      [{ type: "webhook", label: "x9", config: { url: "https://example.com" }, extra: 1 }, "body"],
      [{ type: "pager", label: "x10", config: {} }, "body.type"],
    ];
    for (const [body, field] of cases) {
      const res = await api("POST", "/v1/notification-channels", body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const err = res.json();
      expect(err.code).toBe("VALIDATION_FAILED");
      expect(err.hint).toEqual(expect.any(String));
      expect(JSON.stringify(err.details), JSON.stringify(body)).toContain(field);
    }
    const ssrf = await api("POST", "/v1/notification-channels", {
      type: "webhook",
      label: "meta",
      config: { url: "http://10.0.0.7/hook" },
    });
    expect(ssrf.json().details.reason).toBe("ssrf");
    const dup = await api("POST", "/v1/notification-channels", {
      type: "email",
      label: "Ops hook",
      config: { email: "ops@example.com" },
    });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({ code: "CONFLICT", details: { reason: "label_taken" } });
  });

  it("updates, re-validates config against the stored type, and deletes", async () => {
    const { channel } = await createChannel({
      type: "email",
      label: "Mail me",
      config: { email: "ops@example.com" },
    });
    const patched = await api("PATCH", `/v1/notification-channels/${channel.id}`, {
      label: "Mail the team",
      events: ["approval.created", "approval.decided"],
      config: { email: "team@example.com" },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      label: "Mail the team",
      events: ["approval.created", "approval.decided"],
      config: { email: "team@example.com" },
    });
    const wrongType = await api("PATCH", `/v1/notification-channels/${channel.id}`, {
      config: { url: "https://example.com" },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().details.issues[0].path).toMatch(/^config/);
    const rotate = await api("POST", `/v1/notification-channels/${channel.id}/rotate-secret`);
    expect(rotate.statusCode).toBe(409);
    expect(rotate.json().details.reason).toBe("no_signing_secret");

    const test = await api("POST", `/v1/notification-channels/${channel.id}/test`);
    expect(test.statusCode).toBe(200);
    expect(t.deps.devMailbox?.list("team@example.com")[0]).toMatchObject({ kind: "notification" });

    expect((await api("DELETE", `/v1/notification-channels/${channel.id}`)).statusCode).toBe(204);
    expect((await api("GET", `/v1/notification-channels/${channel.id}`)).statusCode).toBe(404);
    expect((await api("DELETE", `/v1/notification-channels/${channel.id}`)).statusCode).toBe(404);
  });

  it("is 404 from another workspace, refused to a viewer (scope) and to an agent (principal)", async () => {
    const { channel } = await createChannel({
      type: "email",
      label: "Guarded",
      config: { email: "guard@example.com" },
    });
    const stranger = await createUser(t.app, t.deps, "notify-stranger@example.com");
    const base = `/v1/notification-channels/${channel.id}`;
    for (const [method, url, body] of [
      ["GET", base],
      ["PATCH", base, { label: "mine" }],
      ["DELETE", base],
      ["POST", `${base}/test`],
      ["POST", `${base}/rotate-secret`],
      ["GET", `${base}/deliveries`],
    ] as [string, string, object?][]) {
      const res = await api(method, url, body, stranger.token);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json().code).toBe("NOT_FOUND");
    }
    const strangerList = await api("GET", "/v1/notification-channels", undefined, stranger.token);
    expect(strangerList.json().items).toEqual([]);

    const viewer = await memberWithRole(t, owner, "notify-viewer@example.com", "viewer");
    const create = await api(
      "POST",
      "/v1/notification-channels",
      { type: "email", label: "viewer's", config: { email: "v@example.com" } },
      viewer,
    );
    expect(create.statusCode).toBe(403);
    expect(create.json()).toMatchObject({
      code: "SCOPE_MISSING",
      details: { required: ["channels:manage"] },
    });
    expect((await api("GET", "/v1/notification-channels", undefined, viewer)).statusCode).toBe(403);

    const routes = t.app.routeTable.filter((r) => r.url.startsWith("/v1/notification-channels"));
    expect(routes.length).toBe(8);
    for (const r of routes) {
      expect(r).toMatchObject({ principal: "human", scope: "channels:manage" });
      const res = await api(r.method, r.url.replace(":id", channel.id), undefined, setup.agent.token);
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(403);
      expect(res.json()).toMatchObject({ code: "PRINCIPAL_NOT_ALLOWED", hint: expect.any(String) });
    }
  });
});

describe("delivery of an approval request", () => {
  let hook: { id: string; secret: string };

  it("sends a signed webhook a receiver verifies with the shown-once secret, with action links", async () => {
    const created = await createChannel({
      type: "webhook",
      label: "Signed hook",
      config: { url: `${receiver.origin}/hook/ok/signed` },
    });
    hook = { id: created.channel.id, secret: created.signingSecret as string };

    // Not verified yet: an approval does not go to it.
    const before = await setup.askApproval();
    expect(await t.deps.notifications.deliverDue()).toBe(0);

    const test = await api("POST", `/v1/notification-channels/${hook.id}/test`);
    expect(test.statusCode).toBe(200);
    expect(test.json()).toMatchObject({ ok: true, deliveredAt: expect.any(String) });
    const testCall = last("/hook/ok/signed");
    expect(testCall.headers["x-ah5-event"]).toBe("test");
    expect(verifyWebhook(hook.secret, testCall.headers, testCall.body, nowSeconds())).toBe(true);
    expect((await api("GET", `/v1/notification-channels/${hook.id}`)).json().verified).toBe(true);

    const approvalId = await setup.askApproval();
    expect(before).not.toBe(approvalId);
    const pending = await api("GET", `/v1/notification-channels/${hook.id}/deliveries`);
    expect(pending.json().items).toMatchObject([
      { eventType: "approval.created", status: "pending", attempts: 0 },
    ]);

    expect(await t.deps.notifications.deliverDue()).toBeGreaterThanOrEqual(1);
    const call = last("/hook/ok/signed");
    expect(call.method).toBe("POST");
    expect(call.headers["x-ah5-event"]).toBe("approval.created");
    expect(call.headers["x-ah5-delivery"]).toBe(pending.json().items[0].id);
    expect(verifyWebhook(hook.secret, call.headers, call.body, nowSeconds())).toBe(true);
    expect(verifyWebhook("whsec_wrong", call.headers, call.body, nowSeconds())).toBe(false);
    expect(verifyWebhook(hook.secret, call.headers, `${call.body} `, nowSeconds())).toBe(false);
    expect(verifyWebhook(hook.secret, call.headers, call.body, nowSeconds() + 600)).toBe(false);
    const body = JSON.parse(call.body);
    expect(body).toMatchObject({
      type: "approval.created",
      workspaceId: owner.workspaceId,
      data: {
        ids: { approvalId, agentId: setup.agent.id, connectionId: setup.connectionId },
        summary: { agentName: "Notifier agent", method: "POST", path: "/v1/echo", status: "pending" },
        actions: { url: expect.stringMatching(/\/v1\/action-links\/ah5a_[A-Za-z0-9_-]{43}$/) },
      },
    });
    expect(call.body).not.toContain("sk-upstream");

    const sent = await api("GET", `/v1/notification-channels/${hook.id}/deliveries?status=sent`);
    expect(sent.json().items[0]).toMatchObject({
      status: "sent",
      attempts: 1,
      lastError: null,
      lastHttpStatus: 200,
    });
    const channel = (await api("GET", `/v1/notification-channels/${hook.id}`)).json();
    expect(channel).toMatchObject({
      lastError: null,
      consecutiveFailures: 0,
      lastDeliveryAt: expect.any(String),
    });
    // Delivered once: a second tick has nothing to send.
    expect(await t.deps.notifications.deliverDue()).toBe(0);
  });

  it("rotation: the new secret verifies at once and the old one keeps verifying for 24 hours", async () => {
    const rotated = await api("POST", `/v1/notification-channels/${hook.id}/rotate-secret`);
    expect(rotated.statusCode).toBe(200);
    expect(rotated.headers["cache-control"]).toBe("no-store");
    const { signingSecret, previousValidUntil } = rotated.json();
    secrets.push(signingSecret);
    expect(signingSecret).not.toBe(hook.secret);
    expect(Date.parse(previousValidUntil) - clock.now().getTime()).toBeGreaterThan(23.9 * 3600_000);

    await setup.askApproval();
    await t.deps.notifications.deliverDue();
    const call = last("/hook/ok/signed");
    expect(call.headers["x-ah5-event"]).toBe("approval.created");
    expect(verifyWebhook(signingSecret, call.headers, call.body, nowSeconds())).toBe(true);
    expect(verifyWebhook(hook.secret, call.headers, call.body, nowSeconds())).toBe(true);
    hook.secret = signingSecret;
  });

  it("a new URL keeps the signing secret but must be tested again; decisions are delivered too", async () => {
    const moved = await api("PATCH", `/v1/notification-channels/${hook.id}`, {
      config: { url: `${receiver.origin}/hook/ok/moved` },
      events: ["approval.created", "approval.decided"],
    });
    expect(moved.json()).toMatchObject({ verified: false, config: { url: `${receiver.origin}/…` } });
    expect((await api("POST", `/v1/notification-channels/${hook.id}/test`)).statusCode).toBe(200);
    const test = last("/hook/ok/moved");
    expect(verifyWebhook(hook.secret, test.headers, test.body, nowSeconds())).toBe(true);

    const approvalId = await setup.askApproval();
    const decided = await api("POST", `/v1/approvals/${approvalId}/approve`);
    expect(decided.statusCode).toBe(200);
    expect(await t.deps.notifications.deliverDue()).toBe(2);
    const recent = hooks("/hook/ok/moved").slice(-2);
    const created = recent.find((r) => r.headers["x-ah5-event"] === "approval.created");
    const decision = recent.find((r) => r.headers["x-ah5-event"] === "approval.decided");
    expect(created?.headers["x-ah5-event"]).toBe("approval.created");
    // Decided before the send: no action links for something already decided.
    expect(JSON.parse(created?.body ?? "{}").data.actions).toBeUndefined();
    expect(decision?.headers["x-ah5-event"]).toBe("approval.decided");
    expect(JSON.parse(decision?.body ?? "{}").data).toMatchObject({
      ids: { approvalId },
      summary: { status: "approved", decisionChannel: "dashboard" },
    });
    expect(created?.headers["x-ah5-delivery"]).not.toBe(decision?.headers["x-ah5-delivery"]);
  });

  it("sends to Slack (incoming webhook) and Telegram (bot connection) with approve/deny links", async () => {
    const slack = await createChannel({
      type: "slack",
      label: "Slack approvals",
      config: { webhookUrl: `${receiver.origin}/slack/hook/${PATH_SECRET}` },
    });
    expect(JSON.stringify(slack.channel)).not.toContain(PATH_SECRET);
    const bot = await api("POST", "/v1/connections/api-key", {
      provider: "telegram",
      label: "Approvals bot",
      secret: BOT_TOKEN,
    });
    expect(bot.statusCode).toBe(201);
    const telegram = await createChannel({
      type: "telegram",
      label: "Telegram approvals",
      connectionId: bot.json().id,
      config: { chatId: -100123 },
    });
    expect(telegram.channel).toMatchObject({ config: { chatId: "-100123" }, connectionId: bot.json().id });
    for (const c of [slack, telegram])
      expect((await api("POST", `/v1/notification-channels/${c.channel.id}/test`)).statusCode).toBe(200);

    await setup.askApproval();
    await t.deps.notifications.deliverDue();
    const slackText = JSON.parse(last("/slack/hook").body).text as string;
    expect(slackText).toContain("Approval needed: Notifier agent wants to POST");
    expect(slackText).toMatch(
      /<http:\/\/localhost:4000\/v1\/action-links\/ah5a_[\w-]{43}\?decision=approve\|Approve>/,
    );
    expect(slackText).toMatch(/\?decision=deny\|Deny>/);
    const tg = last(`/bot${BOT_TOKEN}/sendMessage`);
    const tgBody = JSON.parse(tg.body);
    expect(tgBody).toMatchObject({ chat_id: "-100123", disable_web_page_preview: true });
    expect(tgBody.text).toMatch(/Approve: http:\/\/localhost:4000\/v1\/action-links\/ah5a_/);
    expect(tgBody.parse_mode).toBeUndefined();
    for (const c of [slack, telegram, { channel: { id: hook.id } }])
      await api("PATCH", `/v1/notification-channels/${c.channel.id}`, { enabled: false });
  });

  it("sends to Slack through a bot connection; refuses a connection that needs reauth", async () => {
    const bot = await api("POST", "/v1/connections/api-key", {
      provider: "slack",
      label: "Slack bot",
      secret: SLACK_BOT_TOKEN,
    });
    expect(bot.statusCode).toBe(201);
    const wrongProvider = await api("POST", "/v1/notification-channels", {
      type: "telegram",
      label: "Wrong bot",
      connectionId: bot.json().id,
      config: { chatId: "42" },
    });
    expect(wrongProvider.statusCode).toBe(400);
    expect(wrongProvider.json().details.field).toBe("connectionId");
    const { channel } = await createChannel({
      type: "slack",
      label: "Slack bot channel",
      connectionId: bot.json().id,
      config: { channelId: "C0123ABCD" },
    });
    expect(channel.config).toEqual({ channelId: "C0123ABCD" });
    const ok = await api("POST", `/v1/notification-channels/${channel.id}/test`);
    expect(ok.statusCode).toBe(200);
    const call = last("/slack-api/chat.postMessage");
    expect(call.headers.authorization).toBe(`Bearer ${SLACK_BOT_TOKEN}`);
    expect(JSON.parse(call.body)).toMatchObject({
      channel: "C0123ABCD",
      text: expect.stringContaining("test"),
    });

    slackApiOk = false;
    const rejected = await api("POST", `/v1/notification-channels/${channel.id}/test`);
    expect(rejected.statusCode).toBe(502);
    expect(rejected.json()).toMatchObject({
      code: "CHANNEL_DELIVERY_FAILED",
      details: { reason: "PROVIDER_REJECTED" },
    });
    expect(rejected.body).not.toContain(SLACK_BOT_TOKEN);
    slackApiOk = true;
    await api("PATCH", `/v1/notification-channels/${channel.id}`, { enabled: false });

    await t.deps.database.db.execute(
      sql`update t_connections set status = 'needs_reauth' where id = ${bot.json().id}`,
    );
    const stale = await api("POST", "/v1/notification-channels", {
      type: "slack",
      label: "Stale bot",
      connectionId: bot.json().id,
      config: { channelId: "C0123ABCD" },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ code: "CONNECTION_NEEDS_REAUTH", hint: expect.any(String) });
  });

  it("a failing receiver: retries after 1, 5 and 30 minutes, then dead, visible on the channel", async () => {
    flakyStatus = 200;
    const { channel } = await createChannel({
      type: "webhook",
      label: "Flaky hook",
      config: { url: `${receiver.origin}/hook/flaky/${PATH_SECRET}` },
    });
    expect((await api("POST", `/v1/notification-channels/${channel.id}/test`)).statusCode).toBe(200);
    flakyStatus = 500;
    const failedTest = await api("POST", `/v1/notification-channels/${channel.id}/test`);
    expect(failedTest.statusCode).toBe(502);
    expect(failedTest.json()).toMatchObject({
      code: "CHANNEL_DELIVERY_FAILED",
      hint: expect.any(String),
      details: { providerStatus: 500, reason: "HTTP_500" },
    });
    expect(failedTest.body).not.toContain(PATH_SECRET);

    await setup.askApproval();
    const deliveries = async () => {
      await refreshOwner();
      return (await api("GET", `/v1/notification-channels/${channel.id}/deliveries`)).json().items[0];
    };
    const attemptsSeen = hooks("/hook/flaky").length;
    for (const [attempt, waitMs] of [
      [1, 60_000],
      [2, 300_000],
      [3, 1_800_000],
    ] as const) {
      expect(await t.deps.notifications.deliverDue()).toBe(1);
      const d = await deliveries();
      expect(d).toMatchObject({
        status: "failed",
        attempts: attempt,
        lastError: "HTTP_500",
        lastHttpStatus: 500,
      });
      // The clock runs on from real time: allow the few milliseconds the test itself takes.
      expect(Date.parse(d.nextAttemptAt) - clock.now().getTime()).toBeGreaterThan(waitMs - 5000);
      expect(Date.parse(d.nextAttemptAt) - clock.now().getTime()).toBeLessThanOrEqual(waitMs);
      // Not due yet: nothing is sent before the backoff has passed.
      clock.advance(waitMs - 1000);
      expect(await t.deps.notifications.deliverDue()).toBe(0);
      clock.advance(1000);
    }
    expect(await t.deps.notifications.deliverDue()).toBe(1);
    expect(await deliveries()).toMatchObject({ status: "dead", attempts: 4, nextAttemptAt: null });
    expect(hooks("/hook/flaky").length - attemptsSeen).toBe(4);
    clock.advance(3600_000);
    expect(await t.deps.notifications.deliverDue()).toBe(0);
    await refreshOwner();

    const seen = (await api("GET", `/v1/notification-channels/${channel.id}`)).json();
    expect(seen).toMatchObject({ enabled: true, lastError: "HTTP_500", consecutiveFailures: 4 });
    expect(JSON.stringify(seen)).not.toContain(PATH_SECRET);
  });

  it("switches a channel off after 20 consecutive failures", async () => {
    const id = (await api("GET", "/v1/notification-channels?limit=200"))
      .json()
      .items.find((c: { label: string }) => c.label === "Flaky hook").id;
    await t.deps.database.db.execute(
      sql`update t_notification_channels set consecutive_failures = 19 where id = ${id}`,
    );
    await setup.askApproval();
    expect(await t.deps.notifications.deliverDue()).toBe(1);
    await refreshOwner();
    const seen = (await api("GET", `/v1/notification-channels/${id}`)).json();
    expect(seen).toMatchObject({ enabled: false, consecutiveFailures: 20, lastError: "HTTP_500" });
    // A disabled channel gets no new deliveries.
    await setup.askApproval();
    clock.advance(120_000);
    await refreshOwner();
    const tick = await t.deps.notifications.deliverDue();
    expect(tick).toBe(1); // the earlier failed one, now dead because the channel is off
    const list = (await api("GET", `/v1/notification-channels/${id}/deliveries`)).json().items;
    expect(list).toHaveLength(2);
    expect(list[0]).toMatchObject({ status: "dead", lastError: "CHANNEL_DISABLED" });
    // Switching it back on resets the count.
    const on = await api("PATCH", `/v1/notification-channels/${id}`, { enabled: true });
    expect(on.json()).toMatchObject({ enabled: true, consecutiveFailures: 0 });
  });

  it("purges finished deliveries after 7 days and spent action links after a day", async () => {
    const count = async (table: string) =>
      Number(
        rowsOf<{ n: number }>(
          await t.deps.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`)),
        )[0]?.n,
      );
    expect(await count("t_notification_deliveries")).toBeGreaterThan(0);
    expect(await count("t_approval_action_tokens")).toBeGreaterThan(0);
    expect(await t.deps.notifications.purge()).toBe(0);
    clock.advance(8 * 24 * 3600_000);
    expect(await t.deps.notifications.purge()).toBeGreaterThan(0);
    expect(await count("t_approval_action_tokens")).toBe(0);
    expect(await count("t_notification_deliveries")).toBe(0);
  });

  it("never writes a channel secret, a URL path or a bot token to the logs", () => {
    const logs = logLines.join("\n");
    expect(logLines.length).toBeGreaterThan(0);
    for (const s of secrets) expect(logs, s.slice(0, 10)).not.toContain(s);
    expect(logs).not.toContain("whsec_");
  });
});
