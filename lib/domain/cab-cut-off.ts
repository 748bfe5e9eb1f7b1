import { localParts, minutesOfDay, zonedTime } from "./business-hours";
import type { ReminderSettings } from "./reminder-settings";

/** The first CAB cut-off at or after `now`, in the organisation's time zone (DST-aware). */
export function nextCabCutOff(now: Date, s: ReminderSettings): Date | null {
  const minutes = minutesOfDay(s.cabCutOffTime);
  if (minutes === null || s.cabCutOffDays.length === 0) return null;
  const today = localParts(now, s.timeZone);
  for (let i = 0; i <= 8; i++) {
    const date = new Date(Date.UTC(today.year, today.month - 1, today.day + i));
    const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
    if (!s.cabCutOffDays.includes(weekday)) continue;
    const at = zonedTime(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), minutes, s.timeZone);
    if (at.getTime() >= now.getTime()) return at;
  }
  return null;
}

/** The cut-off whose digest is due now (within its lead time), or null: the sender sends one digest per cut-off. */
export function cabDigestDue(now: Date, s: ReminderSettings): Date | null {
  const cutOff = nextCabCutOff(now, s);
  if (!cutOff) return null;
  return cutOff.getTime() - now.getTime() <= s.digestLeadHours * 3_600_000 ? cutOff : null;
}

export function cabDigestKey(cutOff: Date): string {
  return `cab_digest:${cutOff.toISOString()}`;
}
