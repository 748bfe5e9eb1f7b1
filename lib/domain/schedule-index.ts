import type { ScheduledChange } from "./schedule-conflicts";
import type { TimeWindow } from "./schedule-windows";

type Entry = { change: ScheduledChange; start: number; end: number };

/** Changes with a window, sorted by start, and the longest window's length. */
export type ScheduleIndex = { entries: readonly Entry[]; longest: number };

/** Indexes the changes that have a window; the others cannot overlap anything. */
export function scheduleIndex(changes: readonly ScheduledChange[]): ScheduleIndex {
  const entries = changes
    .flatMap((change) => (change.window ? [{ change, start: change.window.start.getTime(), end: change.window.end.getTime() }] : []))
    .sort((a, b) => a.start - b.start);
  return { entries, longest: entries.reduce((max, e) => Math.max(max, e.end - e.start), 0) };
}

/**
 * The changes whose window overlaps `window`. None lasts longer than `longest`, so only those
 * starting between (window start - longest) and the window's end can overlap it: a binary search
 * finds the first, and the cost follows the hits, not the size of the schedule.
 */
export function overlapping(index: ScheduleIndex, window: TimeWindow): ScheduledChange[] {
  const [start, end] = [window.start.getTime(), window.end.getTime()];
  const { entries } = index;
  const earliest = start - index.longest;
  let [lo, hi] = [0, entries.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid]!.start < earliest) lo = mid + 1;
    else hi = mid;
  }
  const hits: ScheduledChange[] = [];
  for (let i = lo; i < entries.length && entries[i]!.start < end; i++) {
    if (entries[i]!.end > start) hits.push(entries[i]!.change);
  }
  return hits;
}
