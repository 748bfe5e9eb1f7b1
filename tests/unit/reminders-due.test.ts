import { describe, expect, it } from "vitest";
import { businessMsBetween, zonedTime } from "@/lib/domain/business-hours";
import { cabDigestDue, nextCabCutOff } from "@/lib/domain/cab-cut-off";
import {
  DEFAULT_REMINDER_SETTINGS,
  readReminderSettings,
  reminderSettingsSchema,
  type ReminderSettings,
} from "@/lib/domain/reminder-settings";
import { dueSteps, reminderKey, type AwaitedItem } from "@/lib/domain/reminders-due";

const H = 3_600_000;
const berlin: ReminderSettings = { ...DEFAULT_REMINDER_SETTINGS, timeZone: "Europe/Berlin" };
const hours = (s: ReminderSettings) => ({ timeZone: s.timeZone, days: s.businessDays, start: s.dayStart, end: s.dayEnd });
const item = (since: string, emergency = false): AwaitedItem => ({ subject: "vote", changeId: "c1", emergency, since: new Date(since) });

describe("business hours", () => {
  it("counts only the working day in the organisation's zone", () => {
    // Monday 2026-12-07, Berlin is UTC+1: 09:00-17:00 local is 08:00-16:00 UTC.
    expect(businessMsBetween(new Date("2026-12-07T06:00:00Z"), new Date("2026-12-07T20:00:00Z"), hours(berlin))).toBe(8 * H);
    expect(businessMsBetween(new Date("2026-12-07T15:00:00Z"), new Date("2026-12-08T09:00:00Z"), hours(berlin))).toBe(2 * H);
  });

  it("skips the weekend: Friday 16:00 to Monday 10:00 local is two hours", () => {
    expect(businessMsBetween(new Date("2026-12-11T15:00:00Z"), new Date("2026-12-14T09:00:00Z"), hours(berlin))).toBe(2 * H);
  });

  it("keeps local opening hours across DST: 09:00 Berlin is 08:00 UTC in winter and 07:00 UTC in summer", () => {
    expect(zonedTime(2026, 3, 27, 9 * 60, "Europe/Berlin").toISOString()).toBe("2026-03-27T08:00:00.000Z");
    expect(zonedTime(2026, 3, 30, 9 * 60, "Europe/Berlin").toISOString()).toBe("2026-03-30T07:00:00.000Z");
    // Friday 27 March 08:00 UTC to Monday 30 March 15:00 UTC (17:00 CEST) spans the spring change: two full days.
    expect(businessMsBetween(new Date("2026-03-27T08:00:00Z"), new Date("2026-03-30T15:00:00Z"), hours(berlin))).toBe(16 * H);
    // Autumn in New York: the business day is 8 hours on both sides of the change.
    const ny = hours({ ...DEFAULT_REMINDER_SETTINGS, timeZone: "America/New_York" });
    expect(businessMsBetween(new Date("2026-10-30T00:00:00Z"), new Date("2026-11-03T00:00:00Z"), ny)).toBe(16 * H);
  });

  it("maps a time skipped by the spring gap to just after it", () => {
    expect(zonedTime(2026, 3, 29, 2 * 60 + 30, "Europe/Berlin").toISOString()).toBe("2026-03-29T01:30:00.000Z");
  });
});

describe("what is due", () => {
  it("reminds after the business hours set, escalates later, counting no weekend", () => {
    // Friday 2026-12-11 10:00 Berlin; reminder after 8 business hours, escalation after 24.
    const since = "2026-12-11T09:00:00Z";
    expect(dueSteps(item(since), berlin, new Date("2026-12-11T15:59:00Z"))).toEqual([]);
    expect(dueSteps(item(since), berlin, new Date("2026-12-13T23:00:00Z"))).toEqual([]);
    expect(dueSteps(item(since), berlin, new Date("2026-12-14T09:00:00Z"))).toEqual(["reminder"]);
    expect(dueSteps(item(since), berlin, new Date("2026-12-16T09:00:00Z"))).toEqual(["reminder", "escalation"]);
  });

  it("counts an emergency on the clock, in minutes, weekends included", () => {
    const since = "2026-12-12T22:00:00Z"; // a Saturday night
    expect(dueSteps(item(since, true), berlin, new Date("2026-12-12T22:29:00Z"))).toEqual([]);
    expect(dueSteps(item(since, true), berlin, new Date("2026-12-12T22:30:00Z"))).toEqual(["reminder"]);
    expect(dueSteps(item(since, true), berlin, new Date("2026-12-12T23:00:00Z"))).toEqual(["reminder", "escalation"]);
  });

  it("keys each step to its waiting period", () => {
    expect(reminderKey(item("2026-12-11T09:00:00Z"), "reminder")).not.toBe(reminderKey(item("2026-12-11T09:00:01Z"), "reminder"));
    expect(reminderKey(item("2026-12-11T09:00:00Z"), "reminder")).not.toBe(reminderKey(item("2026-12-11T09:00:00Z"), "escalation"));
  });
});

describe("CAB cut-off and digest", () => {
  const s: ReminderSettings = { ...berlin, cabCutOffDays: [2, 4], cabCutOffTime: "12:00", digestLeadHours: 24 };
  it("finds the next cut-off in the zone, DST-aware", () => {
    expect(nextCabCutOff(new Date("2026-12-07T10:00:00Z"), s)?.toISOString()).toBe("2026-12-08T11:00:00.000Z");
    expect(nextCabCutOff(new Date("2026-12-08T11:00:01Z"), s)?.toISOString()).toBe("2026-12-10T11:00:00.000Z");
    expect(nextCabCutOff(new Date("2026-06-29T00:00:00Z"), s)?.toISOString()).toBe("2026-06-30T10:00:00.000Z");
  });
  it("is due only within the lead time", () => {
    expect(cabDigestDue(new Date("2026-12-07T10:59:00Z"), s)).toBeNull();
    expect(cabDigestDue(new Date("2026-12-07T11:00:00Z"), s)?.toISOString()).toBe("2026-12-08T11:00:00.000Z");
  });
});

describe("settings", () => {
  it("refuses an unknown zone, an inverted day, an escalation before the reminder", () => {
    const bad = reminderSettingsSchema.safeParse({
      ...DEFAULT_REMINDER_SETTINGS,
      timeZone: "Mars/Olympus",
      dayEnd: "08:00",
      escalationHours: 2,
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(["dayEnd", "escalationHours", "timeZone"]);
  });
  it("falls back to the defaults for a stored value that no longer parses", () => {
    expect(readReminderSettings({ timeZone: "nowhere" })).toEqual(DEFAULT_REMINDER_SETTINGS);
    expect(readReminderSettings(null)).toEqual(DEFAULT_REMINDER_SETTINGS);
  });
});
