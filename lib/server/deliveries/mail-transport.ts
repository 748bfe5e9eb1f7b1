import "server-only";
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import { env } from "../env";

export type OutgoingMail = { messageId: string; from: string; to: string; subject: string; text: string; html: string };

/** How a mail leaves: over SMTP, or (no SMTP_URL: the demo, development) into the dev mailbox, which is the delivery row itself. */
export type MailTransport = { name: "smtp" | "mailbox"; send: (mail: OutgoingMail) => Promise<void> };

let cached: { url: string | undefined; transport: MailTransport } | undefined;

export function mailTransport(): MailTransport {
  const url = env().SMTP_URL;
  if (cached?.url !== url || !cached)
    cached = { url, transport: url ? smtpTransport(url) : { name: "mailbox", send: async () => undefined } };
  return cached.transport;
}

function smtpTransport(url: string): MailTransport {
  // A mail server that hangs must not hold a worker's slot for long: the attempt fails and is retried.
  const transporter = nodemailer.createTransport(
    new SMTPTransport({ url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 }),
  );
  return {
    name: "smtp",
    send: async (mail) => {
      await transporter.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
      });
    },
  };
}

/** A failure in words an admin may read on /admin/deliveries: never the SMTP URL (it holds the password). */
export function describeFailure(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  const url = env().SMTP_URL;
  const cleaned = (url ? raw.replaceAll(url, "<SMTP_URL>") : raw).replace(/\/\/[^/\s:@]+:[^/\s@]+@/g, "//<credentials>@");
  return cleaned.length > 500 ? `${cleaned.slice(0, 500)}…` : cleaned;
}
