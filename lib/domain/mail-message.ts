import { isActionNeeded, MAIL_SUBJECTS } from "./mail-kinds";
import type { NotificationKind } from "./notification-kinds";

export type MailInput = {
  kind: NotificationKind;
  /** The notification's sentence, as the portal shows it. */
  message: string;
  recipientName: string;
  /** CHG-000123, when the mail is about a change. */
  changeRef: string | null;
  /** The portal's public URL (NEXTAUTH_URL), without a trailing slash. */
  portalUrl: string;
  changeId: string | null;
};

export type MailContent = { subject: string; text: string; html: string };

const SIGNATURE = "Change-control portal";

/** Where a mail about no single change sends its reader instead (the digest lists several). */
const PAGE_WITHOUT_CHANGE: Partial<Record<NotificationKind, { path: string; name: string }>> = {
  cab_digest: { path: "/cab", name: "the CAB queue" },
};

/** A mail's subject, text and HTML. Everything user-written is escaped in the HTML; no secret is ever part of a mail. */
export function renderMail(input: MailInput): MailContent {
  const base = input.portalUrl.replace(/\/+$/, "");
  const changeUrl = input.changeId ? `${base}/changes/${encodeURIComponent(input.changeId)}` : null;
  const page = changeUrl ? undefined : PAGE_WITHOUT_CHANGE[input.kind];
  const preferencesUrl = `${base}/account/mail`;
  const subject = oneLine(`${input.changeRef ? `[${input.changeRef}] ` : ""}${MAIL_SUBJECTS[input.kind]}`);
  const footer = isActionNeeded(input.kind)
    ? "You receive this because it asks you to act; mails that ask you to act cannot be turned off."
    : `Choose which mails you receive: ${preferencesUrl}`;
  const text = [
    `Hello ${oneLine(input.recipientName)},`,
    "",
    input.message,
    "",
    ...(changeUrl ? [`Open the change: ${changeUrl}`, ""] : []),
    ...(page ? [`Open ${page.name}: ${base}${page.path}`, ""] : []),
    "-- ",
    SIGNATURE,
    footer,
    "",
  ].join("\n");
  const html = [
    "<!doctype html>",
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head><body>`,
    `<p>Hello ${escapeHtml(input.recipientName)},</p>`,
    `<p>${escapeHtml(input.message).replaceAll("\n", "<br>\n")}</p>`,
    changeUrl ? `<p><a href="${escapeHtml(changeUrl)}">Open ${escapeHtml(input.changeRef ?? "the change")}</a></p>` : "",
    page ? `<p><a href="${escapeHtml(base + page.path)}">Open ${escapeHtml(page.name)}</a></p>` : "",
    `<hr><p>${escapeHtml(SIGNATURE)}<br>`,
    isActionNeeded(input.kind)
      ? `${escapeHtml(footer)}</p>`
      : `<a href="${escapeHtml(preferencesUrl)}">Choose which mails you receive</a></p>`,
    "</body></html>",
    "",
  ].join("\n");
  return { subject, text, html };
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A header value on one line: a title with a line break must not add a header. */
function oneLine(value: string): string {
  return value.replace(/[\r\n\t]+/g, " ").trim();
}
