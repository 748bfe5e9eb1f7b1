import type { TimeWindow } from "./schedule-windows";

export const CALENDAR_VIEWS = ["month", "week", "list"] as const;
export type CalendarView = (typeof CALENDAR_VIEWS)[number];

const DAY = 86_400_000;

/** Midnight UTC of the day holding `date`. */
export function utcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Weeks start on Monday (ISO 8601). */
export function weekStart(date: Date): Date {
  const day = utcDay(date);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * DAY);
}

/** The days a view shows: the week, or whole weeks covering the month. */
export function calendarDays(view: Exclude<CalendarView, "list">, anchor: Date): Date[] {
  if (view === "week") return Array.from({ length: 7 }, (_, i) => new Date(weekStart(anchor).getTime() + i * DAY));
  const first = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth(), 1));
  const last = new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + 1, 0));
  const start = weekStart(first);
  const weeks = Math.ceil(((last.getTime() - start.getTime()) / DAY + 1) / 7);
  return Array.from({ length: weeks * 7 }, (_, i) => new Date(start.getTime() + i * DAY));
}

export function dayWindow(day: Date): TimeWindow {
  return { start: day, end: new Date(day.getTime() + DAY) };
}

/** The anchor of the previous or next page of a view. */
export function shiftAnchor(view: Exclude<CalendarView, "list">, anchor: Date, by: -1 | 1): Date {
  if (view === "week") return new Date(utcDay(anchor).getTime() + by * 7 * DAY);
  return new Date(Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() + by, 1));
}

export const isoDay = (date: Date) => date.toISOString().slice(0, 10);
