import "server-only";
import type { ChangeType } from "@/lib/domain/change-types";
import type { ScheduledChange } from "@/lib/domain/schedule-conflicts";
import { scheduleIndex, type ScheduleIndex } from "@/lib/domain/schedule-index";
import { Prisma } from "../db/generated/client";
import { versionedCache } from "../db/versioned-cache";

/** Changes that hold a slot on the schedule and can collide with another. */
const ON_SCHEDULE = ["authorization", "scheduled", "implementing"] as const;

// The states written as enum literals, not a bound array: the planner then estimates the few
// rows on the schedule and walks the (state, planned_start) index.
const ON_SCHEDULE_SQL = Prisma.raw(ON_SCHEDULE.map((s) => `'${s}'::change_state`).join(", "));

type Row = {
  version: string;
  changes: {
    id: string;
    number: number;
    title: string;
    type: ChangeType;
    start: string;
    end: string;
    implementerId: string | null;
    ciIds: string[];
  }[];
};

/**
 * Every change on the schedule with a window, indexed by start (lib/domain/schedule-index.ts),
 * as of the schedule's current version. A CAB queue page checks each of its rows against the changes overlapping it: kept in
 * memory, that costs one single-row read per request instead of reading a thousand changes with
 * their CIs. Triggers draw a new version whenever a change's state, window,
 * implementer, title, type, number or CIs change (migration 20261123160000_schedule_version).
 */
export const onSchedule = versionedCache<ScheduleIndex>("schedule", "schedule_version", async (tx, version) => {
  const [row] = await tx.$queryRaw<Row[]>`
    SELECT ${version} AS version, coalesce((SELECT json_agg(json_build_object('id', c.id, 'number', c.number, 'title', c.title, 'type', c.type,
        'start', c.planned_start, 'end', c.planned_end, 'implementerId', c.implementer_id,
        'ciIds', ARRAY(SELECT cc.ci_id FROM change_cis cc WHERE cc.change_id = c.id)) ORDER BY c.planned_start)
      FROM change_requests c
      WHERE c.state IN (${ON_SCHEDULE_SQL}) AND c.planned_start IS NOT NULL AND c.planned_end IS NOT NULL), '[]'::json) AS changes`;
  const changes = row!.changes.map((c): ScheduledChange => ({
    id: c.id,
    number: c.number,
    title: c.title,
    type: c.type,
    window: { start: new Date(c.start), end: new Date(c.end) },
    ciIds: c.ciIds,
    implementerId: c.implementerId,
  }));
  return { version: row!.version, value: scheduleIndex(changes) };
});
