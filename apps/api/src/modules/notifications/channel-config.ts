import {
  EmailChannelConfigSchema,
  SlackChannelConfigSchema,
  TelegramChannelConfigSchema,
  WebhookChannelConfigSchema,
} from "@agenthifive/contracts";
import type { EnvelopeEncryptor } from "@agenthifive/security";
import type { z } from "zod";
import { AppError } from "../../lib/errors.js";
import { assertUrlAllowed, type DevAllowList } from "../../lib/safe-fetch/guard.js";

export type ChannelType = "slack" | "telegram" | "webhook" | "email";

/**
 * Everything a channel needs to send, encrypted in `config_envelope` (DATA-MODEL.md §2.7): the
 * webhook URL may itself be a secret (Slack incoming webhooks are), the signing secret is one.
 * Never returned, logged, audited or put into a NOTIFY payload.
 */
export interface ChannelSecrets {
  webhookUrl?: string;
  url?: string;
  signingSecret?: string;
  previousSigningSecret?: string;
  previousValidUntil?: string;
  channelId?: string;
  chatId?: string;
  email?: string;
}

const SLACK_WEBHOOK_HOST = "hooks.slack.com";

/** AAD binding an envelope to its row and workspace (DATA-MODEL.md §1). */
export const channelAad = (id: string, workspaceId: string) => `t_notification_channels:${id}:${workspaceId}`;

export const openSecrets = (
  encryptor: EnvelopeEncryptor,
  envelope: unknown,
  id: string,
  workspaceId: string,
) => encryptor.decryptJson<ChannelSecrets>(envelope, channelAad(id, workspaceId));

export const sealSecrets = (
  encryptor: EnvelopeEncryptor,
  s: ChannelSecrets,
  id: string,
  workspaceId: string,
) => encryptor.encryptJson(s, channelAad(id, workspaceId)) as unknown as Record<string, unknown>;

export function invalidField(field: string, message: string, hint: string, reason?: string): AppError {
  return new AppError("VALIDATION_FAILED", message, {
    hint,
    details: {
      ...(reason ? { reason } : {}),
      field,
      issues: [{ path: field, message, code: reason ?? "invalid" }],
    },
  });
}

/** https only and past the SSRF guard's up-front check; the socket-level check runs at send time. */
function checkUrl(raw: string, field: string, devAllow: DevAllowList): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidField(field, "The URL is not a valid absolute URL.", "Send an absolute https URL.");
  }
  if (url.username || url.password) {
    throw invalidField(
      field,
      "The URL must not contain user:password@.",
      "Remove the credentials from the URL.",
    );
  }
  try {
    assertUrlAllowed(url, devAllow);
  } catch {
    throw invalidField(
      field,
      "The URL is not reachable from AgentHiFive: it must be https on a public host.",
      "Use a public https endpoint; private, loopback, link-local and metadata addresses are refused.",
      "ssrf",
    );
  }
  return url;
}

/** What clients see of a URL: the origin only (paths and queries may carry secrets). */
const displayUrl = (url: URL) => `${url.origin}/…`;

function parse<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: ["config", ...i.path.map(String)].join("."),
    message: i.message,
    code: i.code,
  }));
  throw new AppError("VALIDATION_FAILED", "The channel config is not valid for its type.", {
    hint: "Fix the fields listed in details.issues.",
    details: { issues },
  });
}

/**
 * Validates a type's config (on create, and on PATCH against the stored type) and splits it into
 * what is sealed and what is shown. `previous` keeps the signing secrets across a URL change.
 */
export function buildConfig(
  type: ChannelType,
  raw: unknown,
  connectionId: string | null,
  devAllow: DevAllowList,
  previous: ChannelSecrets = {},
): { secrets: ChannelSecrets; display: Record<string, unknown> } {
  const keep = {
    ...(previous.signingSecret ? { signingSecret: previous.signingSecret } : {}),
    ...(previous.previousSigningSecret
      ? {
          previousSigningSecret: previous.previousSigningSecret,
          previousValidUntil: previous.previousValidUntil,
        }
      : {}),
  };
  switch (type) {
    case "slack": {
      const c = parse(SlackChannelConfigSchema, raw);
      if (c.webhookUrl && (c.channelId || connectionId)) {
        throw invalidField(
          "config",
          "A Slack channel uses either an incoming webhook URL or a bot connection with a channel id, not both.",
          "Send config.webhookUrl alone, or connectionId with config.channelId.",
        );
      }
      if (c.webhookUrl) {
        const url = checkUrl(c.webhookUrl, "config.webhookUrl", devAllow);
        if (url.hostname !== SLACK_WEBHOOK_HOST && !devAllow.matchesUrl(url)) {
          throw invalidField(
            "config.webhookUrl",
            `A Slack incoming webhook URL starts with https://${SLACK_WEBHOOK_HOST}/.`,
            "Copy the webhook URL from the Slack app's Incoming Webhooks page.",
          );
        }
        return { secrets: { webhookUrl: url.href }, display: { webhookUrl: displayUrl(url) } };
      }
      if (!c.channelId || !connectionId) {
        throw invalidField(
          c.channelId ? "connectionId" : "config.channelId",
          "A Slack bot channel needs connectionId (a Slack bot connection) and config.channelId.",
          "Send config.webhookUrl for an incoming webhook, or connectionId with config.channelId.",
        );
      }
      return { secrets: { channelId: c.channelId }, display: { channelId: c.channelId } };
    }
    case "telegram": {
      const c = parse(TelegramChannelConfigSchema, raw);
      return { secrets: { chatId: c.chatId }, display: { chatId: c.chatId } };
    }
    case "webhook": {
      const c = parse(WebhookChannelConfigSchema, raw);
      const url = checkUrl(c.url, "config.url", devAllow);
      return { secrets: { ...keep, url: url.href }, display: { url: displayUrl(url) } };
    }
    case "email": {
      const c = parse(EmailChannelConfigSchema, raw);
      return { secrets: { email: c.email }, display: { email: c.email } };
    }
  }
}
