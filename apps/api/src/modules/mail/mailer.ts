import type { Transporter } from "nodemailer";
import type { Logger } from "pino";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** What the mail is for, so the dev mailbox and tests can find it. */
  kind: "verify_email" | "reset_password" | "invitation" | "notification";
  /** The action link in the mail, when there is one. */
  link?: string;
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

export interface StoredMail extends MailMessage {
  id: number;
  sentAt: string;
}

/**
 * A development mailbox: keeps the last messages in memory (served by GET /api/dev/mailbox) and
 * logs them, so sign-up and reset work without an SMTP server. Never enabled in production.
 */
export function createDevMailbox(logger: Logger, capacity = 200) {
  const messages: StoredMail[] = [];
  let next = 1;
  const mailer: Mailer = {
    async send(message) {
      const stored = { ...message, id: next++, sentAt: new Date().toISOString() };
      messages.push(stored);
      if (messages.length > capacity) messages.shift();
      logger.info(
        { mail: { to: message.to, kind: message.kind, link: message.link } },
        `dev mail: ${message.subject}`,
      );
    },
  };
  return {
    mailer,
    list: (to?: string) =>
      messages
        .filter((m) => !to || m.to.toLowerCase() === to.toLowerCase())
        .slice()
        .reverse(),
  };
}
export type DevMailbox = ReturnType<typeof createDevMailbox>;

export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  // Loaded on the first mail: the SMTP stack is not needed to start serving.
  let transport: Transporter | undefined;
  return {
    async send(message) {
      transport ??= (await import("nodemailer")).default.createTransport(smtpUrl);
      await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}

/** Sends through every mailer (SMTP and, in development, the dev mailbox too). */
export function fanOutMailer(mailers: Mailer[]): Mailer {
  return {
    async send(message) {
      await Promise.all(mailers.map((m) => m.send(message)));
    },
  };
}
