import { WEBHOOK_EVENT_LABELS, type WebhookEventType, type WebhookFormat } from "./webhook-events";

/** What a change or deployment event says, taken from its audit event. */
export type WebhookNotice = {
  type: WebhookEventType | "webhook.test";
  occurredAt: string;
  auditSeq: number | null;
  action: string;
  actorEmail: string | null;
  entityType: string;
  entityId: string | null;
  changeId: string | null;
  before: unknown;
  after: unknown;
  reason: string | null;
  /** An absolute link to the change (or the portal), from NEXTAUTH_URL. */
  url: string;
};

const label = (n: WebhookNotice) => (n.type === "webhook.test" ? "Test event" : WEBHOOK_EVENT_LABELS[n.type]);

// Slack treats these three as markup in a message's text.
const slackEscape = (s: string) => s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
// Teams' message text is Markdown: keep user text from making links or emphasis.
const teamsEscape = (s: string) => s.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, (c) => `\\${c}`);

/**
 * The request body a subscription receives for a notice, in its format: Standard Webhooks'
 * `{type, timestamp, data}`, or a chat message Slack's and Teams' incoming webhooks post as is.
 */
export function renderWebhookBody(n: WebhookNotice, format: WebhookFormat): string {
  if (format === "standard") {
    return JSON.stringify({
      type: n.type,
      timestamp: n.occurredAt,
      data: {
        auditSeq: n.auditSeq,
        action: n.action,
        actorEmail: n.actorEmail,
        entityType: n.entityType,
        entityId: n.entityId,
        changeId: n.changeId,
        before: n.before ?? null,
        after: n.after ?? null,
        reason: n.reason,
        url: n.url,
      },
    });
  }
  const what = n.changeId ? "Open the change" : "Open the portal";
  const by = n.actorEmail ? ` by ${n.actorEmail}` : "";
  if (format === "slack") {
    const reason = n.reason ? `\n> ${slackEscape(n.reason)}` : "";
    return JSON.stringify({ text: `*${label(n)}*${slackEscape(by)}: <${n.url}|${what}>${reason}` });
  }
  const reason = n.reason ? `\n\n> ${teamsEscape(n.reason)}` : "";
  return JSON.stringify({
    "@type": "MessageCard",
    "@context": "https://schema.org/extensions",
    summary: label(n),
    title: label(n),
    text: `${teamsEscape(`${label(n)}${by}`)}: [${what}](${n.url})${reason}`,
  });
}
