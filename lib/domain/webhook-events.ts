// What a webhook subscription can receive. Every event is derived from an audit event appended
// in the same transaction (or, for checkpoints, a signed checkpoint taken in it), so a step that
// rolls back announces nothing.

export const WEBHOOK_EVENT_TYPES = [
  "change.submitted",
  "change.approved",
  "change.rejected",
  "change.scheduled",
  "change.implementing",
  "change.implemented",
  "change.closed",
  "change.cancelled",
  "deployment.unauthorized",
  "audit.checkpoint",
  "audit.event",
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const WEBHOOK_EVENT_LABELS = {
  "change.submitted": "Change submitted",
  "change.approved": "Change approved",
  "change.rejected": "Change rejected",
  "change.scheduled": "Change scheduled",
  "change.implementing": "Implementation started",
  "change.implemented": "Implementation recorded",
  "change.closed": "Change closed",
  "change.cancelled": "Change cancelled",
  "deployment.unauthorized": "Unauthorized deployment",
  "audit.checkpoint": "Audit checkpoint (signed)",
  "audit.event": "Every audit event (JSON line)",
} as const satisfies Record<WebhookEventType, string>;

/** The audit stream: sent as is (the export's bytes, the signed checkpoint), never as a chat message. */
export const AUDIT_STREAM_TYPES = ["audit.event", "audit.checkpoint"] as const satisfies readonly WebhookEventType[];

export function isAuditStreamType(type: WebhookEventType): boolean {
  return (AUDIT_STREAM_TYPES as readonly string[]).includes(type);
}

/**
 * The one table from audit actions to the events they announce. A change is approved when a
 * change manager schedules it after the CAB's votes (the schedule step authorizes it), so that
 * action announces both. Every audit event also goes to the audit stream (`audit.event`).
 */
export const AUDIT_ACTION_EVENTS: Readonly<Record<string, readonly WebhookEventType[]>> = {
  "change.submitted": ["change.submitted"],
  "change.scheduled": ["change.approved", "change.scheduled"],
  "change.rejected": ["change.rejected"],
  "change.implementation_started": ["change.implementing"],
  "change.outcome_recorded": ["change.implemented"],
  "change.closed": ["change.closed"],
  "change.cancelled": ["change.cancelled"],
  "deployment.unauthorized": ["deployment.unauthorized"],
};

/** The webhook events one audit event announces, the audit stream's included. */
export function webhookEventsOf(action: string): WebhookEventType[] {
  return [...(Object.hasOwn(AUDIT_ACTION_EVENTS, action) ? AUDIT_ACTION_EVENTS[action]! : []), "audit.event"];
}

export const WEBHOOK_FORMATS = ["standard", "slack", "teams"] as const;
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

export const WEBHOOK_FORMAT_LABELS = {
  standard: "Standard Webhooks JSON",
  slack: "Slack message",
  teams: "Microsoft Teams message",
} as const satisfies Record<WebhookFormat, string>;
