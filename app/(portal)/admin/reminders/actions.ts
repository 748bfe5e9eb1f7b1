"use server";

import { formAction, list, texts } from "@/lib/server/actions/form-action";
import { saveReminderSettings } from "@/lib/server/reminders/reminder-settings";

const TEXTS = [
  "timeZone",
  "dayStart",
  "dayEnd",
  "reminderHours",
  "escalationHours",
  "emergencyReminderMinutes",
  "emergencyEscalationMinutes",
  "cabCutOffTime",
  "digestLeadHours",
] as const;

export const saveReminderSettingsAction = formAction({
  input: (form) => ({ ...texts(form, TEXTS), businessDays: list(form, "businessDays"), cabCutOffDays: list(form, "cabCutOffDays") }),
  keep: (input) => input,
  run: saveReminderSettings,
  revalidate: ["/admin/reminders"],
});
