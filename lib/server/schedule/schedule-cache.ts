import "server-only";
import type { ChangeType } from "@/lib/domain/change-types";
import type { ScheduledChange } from "@/lib/domain/schedule-conflicts";
import type { TimeWindow } from "@/lib/domain/schedule-windows";
import { Prisma } from "../db/generated/client";
import { versionedCache } from "../db/versioned-cache";

/** Changes that hold a slot on the schedule and can collide with another. */
const ON_SCHEDULE = ["authorization", "scheduled", "implementing"] as const;

// The states written as enum literals, not a bound array: the planner then estimates the few
// rows on the schedule and walks the (state, planned_start) index.
const ON_SCHEDULE_SQL = Prisma.raw(ON_SCHEDULE.map((s) => `'${s}'::change_state`).join(", "));

type Entry = { change: ScheduledChange; start: number; end: number };
export type OnSchedule = { entries: readonly Entry[] };

type Row = { version: string; changes: { id: string; number: number; title: string; type: ChangeType; start: string; end: string; implementerId: string | null; ciIds: string[] }[] };

/**
 * Every change on the schedule with a window, sorted by start, as of the schedule's current
 * version. A CAB queue page checks each of its rows against the changes overlapping it: kept in
 * memory, that costs one single-row read per request instead of reading a thousand changes with
 * their CIs. Triggers draw a new version whenever a change's state, window,
 * implementer, title, type, number or CIs change (migration 20261123160000_schedule_version).
 */
export const onSchedule = versionedCache<OnSchedule>("schedule", "schedule_version", async (tx, version) => {
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT ${version} AS version, coalesce((SELECT json_agg(json_build_object('id', c.id, 'number', c.number, 'title', c.title, 'type', c.type,
        'start', c.planned_start, 'end', c.planned_end, 'implementerId', c.implementer_id,
        'ciIds', ARRAY(SELECT cc.ci_id FROM change_cis cc WHERE cc.change_id = c.id)) ORDER BY c.planned_start)
      FROM change_requests c
      WHERE c.state IN (${ON_SCHEDULE_SQL}) AND c.planned_start IS NOT NULL AND c.planned_end IS NOT NULL), '[]'::json) AS changes`;
  const entries = row!.changes.map((c): Entry => {
    const window = { start: new Date(c.start), end: new Date(c.end) };
    return { change: { id: c.id, number: c.number, title: c.title, type: c.type, window, ciIds: c.ciIds, implementerId: c.implementerId }, start: window.start.getTime(), end: window.end.getTime() };
  });
  return { version: row!.version, value: { entries } };
});

/** The changes on the schedule overlapping a window (entries sorted by start: stop at the first that starts after it). */
export function overlapping(schedule: OnSchedule, window: TimeWindow): ScheduledChange[] {
  const [start, end] = [window.start.getTime(), window.end.getTime()];
  const hits: ScheduledChange[] = [];
  for (const entry of schedule.entries) {
    if (entry.start >= end) break;
    if (entry.end > start) hits.push(entry.change);
  }
  return hits;
}
