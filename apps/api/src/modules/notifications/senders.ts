import { hmacSha256 } from "@agenthifive/security";
import { AppError } from "../../lib/errors.js";
import type { SafeFetch } from "../../lib/safe-fetch.js";
import type { Mailer } from "../mail/mailer.js";
import type { ChannelSecrets, ChannelType } from "./channel-config.js";

const SEND_TIMEOUT_MS = 10_000;
const MAX_RESPONSE_BYTES = 64 * 1024;

/** What goes out for one delivery: ids and a summary, never a secret or a request body. */
export interface OutgoingNotification {
  deliveryId: string;
  eventId: string;
  eventType: string;
  occurredAt: string;
  workspaceId: string;
  data: { ids: Record<string, string>; summary: Record<string, unknown> };
  /** Approve/deny links for a pending approval (API.md §3.16). */
  actions?: { url: string; approveUrl: string; denyUrl: string; expiresAt: string };
}

/** `error` is a code plus at most an HTTP status: never a URL (it may hold a token) or a body. */
export type SendResult =
  | { ok: true; status: number | null }
  | { ok: false; error: string; status: number | null };

export interface ChannelTarget {
  id: string;
  type: ChannelType;
  workspaceId: string;
  connectionId: string | null;
}

export interface SenderDeps {
  http: Pick<SafeFetch, "request">;
  mailer: Mailer;
  /** Slack Web API and Telegram Bot API bases (overridable for a local stand-in in tests). */
  endpoints: { slackApi: string; telegramApi: string };
  /** The bot token of the channel's connection; throws an AppError when it cannot be used. */
  botToken(target: ChannelTarget, provider: "slack" | "telegram"): Promise<string>;
}

/**
 * `X-AH5-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>` (API.md §3.15); during
 * the 24 h after a rotation a second `v1=` signed with the previous secret follows, so receivers
 * holding either secret verify.
 */
export function signatureHeader(secrets: string[], timestamp: number, body: string): string {
  return secrets.map((s) => `v1=${hmacSha256(s, `${timestamp}.${body}`).toString("hex")}`).join(", ");
}

export function activeSigningSecrets(s: ChannelSecrets, now: Date): string[] {
  const out = s.signingSecret ? [s.signingSecret] : [];
  if (s.previousSigningSecret && s.previousValidUntil && Date.parse(s.previousValidUntil) > now.getTime())
    out.push(s.previousSigningSecret);
  return out;
}

const escapeSlack = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Plain text for people; agent-supplied parts are escaped for Slack and sent unparsed elsewhere. */
export function messageText(n: OutgoingNotification, slack: boolean): string {
  const esc = slack ? escapeSlack : (s: string) => s;
  const s = n.data.summary as Record<string, string | undefined>;
  const target = s.method ? `${s.method} ${s.host ?? ""}${s.path ?? ""}` : "";
  let text: string;
  if (n.eventType === "test") text = "AgentHiFive test message: this channel is connected.";
  else if (n.eventType === "approval.created")
    text = `Approval needed: ${esc(s.agentName ?? "an agent")} wants to ${esc(target)}.\nReason: ${esc(s.reason ?? "")}\nExpires: ${s.expiresAt ?? ""}`;
  else if (n.eventType === "approval.decided")
    text = `Approval ${esc(s.status ?? "decided")}: ${esc(s.agentName ?? "an agent")} — ${esc(target)}${s.decisionChannel ? ` (via ${s.decisionChannel})` : ""}`;
  else text = `AgentHiFive: ${n.eventType} (${Object.values(n.data.ids).join(", ")})`;
  if (n.actions) {
    text += slack
      ? `\n<${n.actions.approveUrl}|Approve> · <${n.actions.denyUrl}|Deny> (link valid until ${n.actions.expiresAt}; you confirm on the page)`
      : `\nApprove: ${n.actions.approveUrl}\nDeny: ${n.actions.denyUrl}\n(link valid until ${n.actions.expiresAt}; you confirm on the page)`;
  }
  return text;
}

async function readText(body: AsyncIterable<Buffer | string>): Promise<string> {
  let text = "";
  for await (const chunk of body) {
    text += typeof chunk === "string" ? chunk : chunk.toString("utf8");
    if (text.length > MAX_RESPONSE_BYTES) break;
  }
  return text;
}

const failure = (e: unknown): SendResult => ({
  ok: false,
  error: e instanceof AppError ? e.code : "TRANSPORT_ERROR",
  status: null,
});

/** One sender per channel type; every HTTP call goes through the SSRF-guarded client (API.md S10). */
export function createSenders(deps: SenderDeps) {
  async function post(
    url: string,
    headers: Record<string, string>,
    body: string,
    okBody?: (json: Record<string, unknown>) => boolean,
  ): Promise<SendResult> {
    try {
      const res = await deps.http.request({
        method: "POST",
        url,
        headers: {
          "content-type": "application/json",
          "user-agent": "AgentHiFive-Notifications/1",
          ...headers,
        },
        body,
        redirect: "manual",
        timeoutMs: SEND_TIMEOUT_MS,
        maxResponseBytes: MAX_RESPONSE_BYTES,
      });
      const text = await readText(res.body);
      if (res.status < 200 || res.status >= 300)
        return { ok: false, error: `HTTP_${res.status}`, status: res.status };
      if (okBody) {
        let json: Record<string, unknown> = {};
        try {
          json = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // Not JSON: treated as a provider failure below.
        }
        if (!okBody(json)) return { ok: false, error: "PROVIDER_REJECTED", status: res.status };
      }
      return { ok: true, status: res.status };
    } catch (e) {
      return failure(e);
    }
  }

  return {
    async send(
      target: ChannelTarget,
      secrets: ChannelSecrets,
      n: OutgoingNotification,
      now: Date,
    ): Promise<SendResult> {
      switch (target.type) {
        case "webhook": {
          if (!secrets.url) return { ok: false, error: "CHANNEL_MISCONFIGURED", status: null };
          const body = JSON.stringify({
            id: n.eventId,
            type: n.eventType,
            occurredAt: n.occurredAt,
            workspaceId: n.workspaceId,
            data: { ...n.data, ...(n.actions ? { actions: n.actions } : {}) },
          });
          const timestamp = Math.floor(now.getTime() / 1000);
          return post(
            secrets.url,
            {
              "x-ah5-event": n.eventType,
              "x-ah5-delivery": n.deliveryId,
              "x-ah5-timestamp": String(timestamp),
              "x-ah5-signature": signatureHeader(activeSigningSecrets(secrets, now), timestamp, body),
            },
            body,
          );
        }
        case "slack": {
          const text = messageText(n, true);
          // No unfurling: Slack's previewer would fetch the action link (harmless, but pointless).
          const unfurl = { unfurl_links: false, unfurl_media: false };
          if (secrets.webhookUrl) return post(secrets.webhookUrl, {}, JSON.stringify({ text, ...unfurl }));
          try {
            const token = await deps.botToken(target, "slack");
            return await post(
              `${deps.endpoints.slackApi}/chat.postMessage`,
              { authorization: `Bearer ${token}` },
              JSON.stringify({ channel: secrets.channelId, text, ...unfurl }),
              (json) => json.ok === true,
            );
          } catch (e) {
            return failure(e);
          }
        }
        case "telegram": {
          try {
            const token = await deps.botToken(target, "telegram");
            return await post(
              `${deps.endpoints.telegramApi}/bot${token}/sendMessage`,
              {},
              // No parse_mode: agent-supplied text is never interpreted as markup.
              JSON.stringify({
                chat_id: secrets.chatId,
                text: messageText(n, false),
                disable_web_page_preview: true,
              }),
              (json) => json.ok === true,
            );
          } catch (e) {
            return failure(e);
          }
        }
        case "email": {
          if (!secrets.email) return { ok: false, error: "CHANNEL_MISCONFIGURED", status: null };
          try {
            await deps.mailer.send({
              to: secrets.email,
              subject:
                n.eventType === "approval.created"
                  ? "AgentHiFive: approval needed"
                  : `AgentHiFive: ${n.eventType}`,
              text: messageText(n, false),
              // No `link` field: the dev mailbox logs links, and this one is a credential.
              kind: "notification",
            });
            return { ok: true, status: null };
          } catch {
            return { ok: false, error: "MAIL_FAILED", status: null };
          }
        }
      }
    },
  };
}
export type Senders = ReturnType<typeof createSenders>;
