/** An organisation's working week: which ISO weekdays (1 Monday … 7 Sunday), from when to when, in which time zone. */
export type BusinessHours = { timeZone: string; days: readonly number[]; start: string; end: string };

const DAY = 86_400_000;
// Beyond this the waiting time is long past any threshold; the loop need not walk years of days.
const MAX_DAYS = 400;

/** Whether the runtime knows this IANA time zone. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

/** "HH:MM" as minutes after midnight, or null. */
export function minutesOfDay(hhmm: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock date and time at an instant in a time zone. */
export function localParts(at: Date, timeZone: string): { year: number; month: number; day: number; minutes: number } {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(at: number, timeZone: string): number {
  const p = localParts(new Date(at), timeZone);
  const seconds = new Date(at).getUTCSeconds();
  return Date.UTC(p.year, p.month - 1, p.day, 0, p.minutes, seconds) - (at - (at % 1000));
}

/**
 * The instant a local wall-clock time happens in a time zone (DST-aware). A time skipped by a
 * spring-forward gap maps to the instant just after the gap; one repeated in autumn, to its first occurrence.
 */
export function zonedTime(year: number, month: number, day: number, minutes: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, day, 0, minutes);
  const first = naive - offsetAt(naive, timeZone);
  const second = naive - offsetAt(first, timeZone);
  // Two candidate offsets (either side of a change): prefer the earlier instant that reads back as this wall time.
  const candidates = [Math.min(first, second), Math.max(first, second)];
  for (const c of candidates) {
    const p = localParts(new Date(c), timeZone);
    if (p.year === year && p.month === month && p.day === day && p.minutes === minutes) return new Date(c);
  }
  return new Date(Math.max(first, second));
}

/** ISO weekday (1 Monday … 7 Sunday) of a calendar date. */
function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

/** The business hours open on one local calendar date, as instants, or null on a day off. */
export function openingOn(year: number, month: number, day: number, hours: BusinessHours): { open: Date; close: Date } | null {
  if (!hours.days.includes(isoWeekday(year, month, day))) return null;
  const start = minutesOfDay(hours.start);
  const end = minutesOfDay(hours.end);
  if (start === null || end === null || end <= start) return null;
  return { open: zonedTime(year, month, day, start, hours.timeZone), close: zonedTime(year, month, day, end, hours.timeZone) };
}

/** How much of [from, to) falls inside business hours, in ms: weekends, nights and the zone's DST shifts counted as they are. */
export function businessMsBetween(from: Date, to: Date, hours: BusinessHours): number {
  if (to.getTime() <= from.getTime()) return 0;
  const first = localParts(from, hours.timeZone);
  const days = Math.min(MAX_DAYS, Math.ceil((to.getTime() - from.getTime()) / DAY) + 2);
  let total = 0;
  for (let i = 0; i < days; i++) {
    const date = new Date(Date.UTC(first.year, first.month - 1, first.day + i));
    const opening = openingOn(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), hours);
    if (!opening) continue;
    if (opening.open.getTime() >= to.getTime()) break;
    const start = Math.max(opening.open.getTime(), from.getTime());
    const end = Math.min(opening.close.getTime(), to.getTime());
    if (end > start) total += end - start;
  }
  return total;
}
