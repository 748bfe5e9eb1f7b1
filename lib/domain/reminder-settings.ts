import { z } from "zod";
import { isTimeZone, minutesOfDay, type BusinessHours } from "./business-hours";

/**
 * When an awaited vote or sign-off is reminded and escalated, the organisation's business hours,
 * and the CAB's cut-off schedule (the digest goes out before each cut-off).
 */
export type ReminderSettings = {
  timeZone: string;
  businessDays: number[];
  dayStart: string;
  dayEnd: string;
  /** Normal and major changes: business hours waited before a reminder, then before escalation. */
  reminderHours: number;
  escalationHours: number;
  /** Emergency changes: minutes on the clock, day or night. */
  emergencyReminderMinutes: number;
  emergencyEscalationMinutes: number;
  cabCutOffDays: number[];
  cabCutOffTime: string;
  /** Hours before each cut-off the digest is mailed. */
  digestLeadHours: number;
};

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = {
  timeZone: "UTC",
  businessDays: [1, 2, 3, 4, 5],
  dayStart: "09:00",
  dayEnd: "17:00",
  reminderHours: 8,
  escalationHours: 24,
  emergencyReminderMinutes: 30,
  emergencyEscalationMinutes: 60,
  cabCutOffDays: [2],
  cabCutOffTime: "12:00",
  digestLeadHours: 24,
};

export const WEEKDAY_LABELS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

const hhmm = z
  .string()
  .trim()
  .refine((v) => minutesOfDay(v) !== null, "Use a time such as 09:00.");
const weekdays = (what: string) =>
  z
    .array(z.coerce.number().int().min(1).max(7))
    .min(1, `Choose at least one ${what} day.`)
    .max(7)
    .transform((days) => [...new Set(days)].sort((a, b) => a - b));
const whole = (min: number, max: number, unit: string) =>
  z.coerce
    .number({ message: `Give a number of ${unit}.` })
    .int(`Give a whole number of ${unit}.`)
    .min(min, `At least ${min} ${unit}.`)
    .max(max, `At most ${max} ${unit}.`);

export const reminderSettingsSchema = z
  .object({
    timeZone: z.string().trim().max(64).refine(isTimeZone, "Unknown time zone; use an IANA name such as Europe/Berlin."),
    businessDays: weekdays("business"),
    dayStart: hhmm,
    dayEnd: hhmm,
    reminderHours: whole(1, 500, "hours"),
    escalationHours: whole(1, 1000, "hours"),
    emergencyReminderMinutes: whole(1, 1440, "minutes"),
    emergencyEscalationMinutes: whole(1, 2880, "minutes"),
    cabCutOffDays: weekdays("cut-off"),
    cabCutOffTime: hhmm,
    digestLeadHours: whole(1, 168, "hours"),
  })
  .superRefine((s, ctx) => {
    if ((minutesOfDay(s.dayEnd) ?? 0) <= (minutesOfDay(s.dayStart) ?? 0))
      ctx.addIssue({ code: "custom", path: ["dayEnd"], message: "The business day must end after it starts." });
    if (s.escalationHours <= s.reminderHours)
      ctx.addIssue({ code: "custom", path: ["escalationHours"], message: "Escalate later than the reminder." });
    if (s.emergencyEscalationMinutes <= s.emergencyReminderMinutes)
      ctx.addIssue({ code: "custom", path: ["emergencyEscalationMinutes"], message: "Escalate later than the reminder." });
  });

/** Stored settings as they are, or the defaults where something stored no longer parses. */
export function readReminderSettings(stored: unknown): ReminderSettings {
  const parsed = reminderSettingsSchema.safeParse({
    ...DEFAULT_REMINDER_SETTINGS,
    ...(typeof stored === "object" && stored ? stored : {}),
  });
  return parsed.success ? parsed.data : DEFAULT_REMINDER_SETTINGS;
}

export function businessHoursOf(s: ReminderSettings): BusinessHours {
  return { timeZone: s.timeZone, days: s.businessDays, start: s.dayStart, end: s.dayEnd };
}
