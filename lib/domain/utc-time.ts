/** "2026-12-01 09:30 UTC": how the portal writes an instant; times are stored and shown in UTC. */
export function formatUtc(date: Date): string {
  return `${date.toISOString().replace("T", " ").slice(0, 16)} UTC`;
}

/** "2026-12-01 09:30 – 2026-12-01 11:00 UTC". */
export function formatUtcRange(start: Date, end: Date): string {
  return `${start.toISOString().replace("T", " ").slice(0, 16)} – ${formatUtc(end)}`;
}

export const WEEKDAY_LABELS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

/** 570 → "09:30". */
export function formatMinuteOfDay(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
}
