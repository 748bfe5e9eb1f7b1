import { businessMsBetween } from "./business-hours";
import { businessHoursOf, type ReminderSettings } from "./reminder-settings";

/**
 * Something a person is waiting to do: a vote on a change in authorization, its checklist
 * sign-offs before authorization, or its pre-implementation sign-offs ("readiness") once approved.
 */
export type AwaitedItem = {
  subject: "vote" | "sign_off" | "readiness";
  changeId: string;
  emergency: boolean;
  /** When the portal asked for it: the reminders' clock starts here. */
  since: Date;
};

export const REMINDER_STEPS = ["reminder", "escalation"] as const;
export type ReminderStep = (typeof REMINDER_STEPS)[number];

/**
 * How long it has waited, in ms: business hours only for normal and major changes; for an
 * emergency, every minute on the clock (an outage does not wait for Monday).
 */
export function waitedMs(item: AwaitedItem, settings: ReminderSettings, now: Date): number {
  if (item.emergency) return Math.max(0, now.getTime() - item.since.getTime());
  return businessMsBetween(item.since, now, businessHoursOf(settings));
}

/** The thresholds in ms: reminder, then escalation. */
export function thresholdsMs(item: Pick<AwaitedItem, "emergency">, s: ReminderSettings): Record<ReminderStep, number> {
  return item.emergency
    ? { reminder: s.emergencyReminderMinutes * 60_000, escalation: s.emergencyEscalationMinutes * 60_000 }
    : { reminder: s.reminderHours * 3_600_000, escalation: s.escalationHours * 3_600_000 };
}

/** The steps due for an awaited item now, in order; the sender sends each once (its key). Nothing here decides a change. */
export function dueSteps(item: AwaitedItem, settings: ReminderSettings, now: Date): ReminderStep[] {
  const waited = waitedMs(item, settings, now);
  const limits = thresholdsMs(item, settings);
  return REMINDER_STEPS.filter((step) => waited >= limits[step]);
}

/** The one key of a step for one waiting period: a new round or resubmission waits afresh. */
export function reminderKey(item: AwaitedItem, step: ReminderStep): string {
  return `${item.subject}:${item.changeId}:${item.since.getTime()}:${step}`;
}
