import "server-only";
import type { TaskList } from "graphile-worker";
import { sendCabDigest } from "./send-cab-digest";
import { sweepReminders } from "./sweep-reminders";

export const REMINDER_TASK_NAMES = { sweepReminders: "sweep_reminders", sendCabDigest: "send_cab_digest" } as const;

/** The worker's reminder tasks; each run finds what is due now, and sends each step once however many workers run it. */
export const REMINDER_TASKS: TaskList = {
  [REMINDER_TASK_NAMES.sweepReminders]: async () => {
    await sweepReminders();
  },
  [REMINDER_TASK_NAMES.sendCabDigest]: async () => {
    await sendCabDigest();
  },
};

// Every minute: an emergency escalates in minutes, so the sweep cannot wait long.
export const REMINDER_CRONTAB = [`* * * * * ${REMINDER_TASK_NAMES.sweepReminders}`, `*/5 * * * * ${REMINDER_TASK_NAMES.sendCabDigest}`];
