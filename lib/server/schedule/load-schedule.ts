import "server-only";
import type { ChangeType } from "@/lib/domain/change-types";
import { freezeStatus, scheduleConflicts, type Conflict, type FreezeExceptionFacts, type ScheduledChange } from "@/lib/domain/schedule-conflicts";
import type { FreezeWindowFacts, ScheduleCi, TimeWindow } from "@/lib/domain/schedule-windows";
import type { Db } from "../db/create-prisma-client";
import { cmdbGraph } from "../cis/cmdb-graph";
import { db } from "../db/db";
import { Prisma } from "../db/generated/client";

/** The client or a transaction's: only the tables the schedule reads. */
type Tx = Pick<Db, "freezeWindow" | "configurationItem" | "changeRequest" | "freezeException" | "$queryRaw">;

/** Changes that hold a slot on the schedule and can collide with another. */
export const ON_SCHEDULE = ["authorization", "scheduled", "implementing"] as const;

type ChangeRow = { id: string; number: number; title: string; type: ChangeType; plannedStart: Date | null; plannedEnd: Date | null; implementerId: string | null; cis: { ciId: string }[] };

export function toScheduledChange(c: ChangeRow): ScheduledChange {
  return { id: c.id, number: c.number, title: c.title, type: c.type, window: c.plannedStart && c.plannedEnd ? { start: c.plannedStart, end: c.plannedEnd } : null, ciIds: c.cis.map((x) => x.ciId), implementerId: c.implementerId };
}

export async function freezesBetween(tx: Tx, window: TimeWindow): Promise<FreezeWindowFacts[]> {
  const rows = await tx.freezeWindow.findMany({ where: { startsAt: { lt: window.end }, endsAt: { gt: window.start } }, orderBy: { startsAt: "asc" } });
  return rows.map((f) => ({ id: f.id, start: f.startsAt, end: f.endsAt, reason: f.reason, scope: f.scope, environments: f.environments, tags: f.tags }));
}

export async function scheduleCis(tx: Tx, ids: readonly string[]): Promise<ScheduleCi[]> {
  if (ids.length === 0) return [];
  const rows = await tx.configurationItem.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: { id: true, name: true, environment: true, tags: true, maintenanceWindows: { select: { weekday: true, startMinute: true, durationMinutes: true }, orderBy: [{ weekday: "asc" }, { startMinute: "asc" }] } },
  });
  return rows;
}

type StoredException = { windowStart: Date; windowEnd: Date; managerApproverId: string | null; securityApproverId: string | null } | null;
export function toExceptionFacts(e: StoredException): FreezeExceptionFacts | null {
  return e ? { window: { start: e.windowStart, end: e.windowEnd }, managerApproved: e.managerApproverId !== null, securityApproved: e.securityApproverId !== null } : null;
}

/** What the lifecycle guard reads (insideFreeze, freezeExceptionGranted), for one change. */
export async function loadFreezeStatus(tx: Tx, change: ScheduledChange, exception: StoredException) {
  if (!change.window) return { insideFreeze: false, freezeExceptionGranted: false };
  const [freezes, cis] = [await freezesBetween(tx, change.window), await scheduleCis(tx, change.ciIds)];
  return freezeStatus({ change, cis, freezes, exception: toExceptionFacts(exception) });
}

// The states written as enum literals, not a bound array: the planner then estimates the few
// rows on the schedule and walks the (state, planned_start) index; with a parameter it guessed a
// third of the table and started parallel workers.
const ON_SCHEDULE_SQL = Prisma.raw(ON_SCHEDULE.map((s) => `'${s}'::change_state`).join(", "));

type OtherRow = { id: string; number: number; title: string; type: ChangeType; planned_start: Date; planned_end: Date; implementer_id: string | null; ci_ids: string[] };

/**
 * The changes on the schedule that overlap at least one of `windows`, with their CIs, in one
 * statement (the span bounds the index scan; the windows themselves filter).
 */
async function othersOverlapping(tx: Tx, windows: readonly TimeWindow[], span: TimeWindow): Promise<ScheduledChange[]> {
  const rows = await tx.$queryRaw<OtherRow[]>`
    SELECT c.id::text, c.number, c.title, c.type::text AS type, c.planned_start, c.planned_end, c.implementer_id::text,
      ARRAY(SELECT cc.ci_id::text FROM change_cis cc WHERE cc.change_id = c.id) AS ci_ids
    FROM change_requests c
    WHERE c.state IN (${ON_SCHEDULE_SQL}) AND c.planned_start < ${span.end} AND c.planned_end > ${span.start}
      AND EXISTS (SELECT 1 FROM unnest(${windows.map((w) => w.start)}::timestamptz[], ${windows.map((w) => w.end)}::timestamptz[]) AS w(s, e)
                  WHERE c.planned_start < w.e AND c.planned_end > w.s)`;
  return rows.map((o) => ({ id: o.id, number: o.number, title: o.title, type: o.type, window: { start: o.planned_start, end: o.planned_end }, ciIds: o.ci_ids, implementerId: o.implementer_id }));
}

/**
 * Every conflict of each change, in a fixed number of queries however many changes: the
 * freezes over the span of their windows, the other changes overlapping one of the windows, the
 * changes' own CIs, and the dependency graph (kept in memory while the CMDB does not change).
 * Other changes' CIs are named from the graph: the rules read maintenance windows and freeze
 * scopes of the change's own CIs only.
 */
export async function loadConflicts(tx: Tx, changes: readonly ScheduledChange[]): Promise<Map<string, Conflict[]>> {
  return new Map([...(await loadSchedule(tx, changes))].map(([id, s]) => [id, s.conflicts]));
}

type FreezeStatus = ReturnType<typeof freezeStatus>;

/** Each change's conflicts and the freeze guard's facts, from the same reads. */
export async function loadSchedule(tx: Tx, changes: readonly ScheduledChange[]): Promise<Map<string, { conflicts: Conflict[]; freeze: FreezeStatus }>> {
  const result = new Map(changes.map((c) => [c.id, { conflicts: [] as Conflict[], freeze: { insideFreeze: false, freezeExceptionGranted: false } }]));
  const windows = changes.flatMap((c) => (c.window ? [c.window] : []));
  if (windows.length === 0) return result;
  const span = { start: new Date(Math.min(...windows.map((w) => w.start.getTime()))), end: new Date(Math.max(...windows.map((w) => w.end.getTime()))) };
  // One connection per transaction: these run one after the other.
  const freezes = await freezesBetween(tx, span);
  const others = await othersOverlapping(tx, windows, span);
  const own = await scheduleCis(tx, changes.flatMap((c) => c.ciIds));
  const { edges, names } = await cmdbGraph(tx);
  const exceptions = await tx.freezeException.findMany({ where: { changeId: { in: changes.map((c) => c.id) } } });
  const known = new Set(own.map((ci) => ci.id));
  const otherCiIds = new Set(others.flatMap((o) => o.ciIds).filter((id) => !known.has(id)));
  const cis: ScheduleCi[] = [...own, ...[...otherCiIds].map((id) => ({ id, name: names.get(id) ?? "", environment: "", tags: [], maintenanceWindows: [] }))];
  const exceptionOf = new Map(exceptions.map((e) => [e.changeId, e]));
  const overlapping = overlapIndex(others);
  for (const change of changes) {
    const near = change.window ? overlapping(change.window) : [];
    const exception = toExceptionFacts(exceptionOf.get(change.id) ?? null);
    result.set(change.id, { conflicts: scheduleConflicts({ change, cis, freezes, others: near, edges, exception }), freeze: freezeStatus({ change, cis, freezes, exception }) });
  }
  return result;
}

/**
 * The changes overlapping a window, from a list read once for many windows: a queue page's
 * windows each meet a few dozen of the hundreds read, and the rules need only those.
 */
function overlapIndex(others: readonly ScheduledChange[]): (window: TimeWindow) => ScheduledChange[] {
  const sorted = others.filter((o) => o.window).map((o) => ({ o, start: o.window!.start.getTime(), end: o.window!.end.getTime() })).sort((a, b) => a.start - b.start);
  return (window) => {
    const [start, end] = [window.start.getTime(), window.end.getTime()];
    const hits: ScheduledChange[] = [];
    for (const entry of sorted) {
      if (entry.start >= end) break;
      if (entry.end > start) hits.push(entry.o);
    }
    return hits;
  };
}

/** For lists (the CAB queue): the conflicts of each listed change. */
export async function conflictsOfChanges(tx: Tx, ids: readonly string[]): Promise<Map<string, Conflict[]>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.changeRequest.findMany({
    where: { id: { in: [...ids] } },
    select: { id: true, number: true, title: true, type: true, plannedStart: true, plannedEnd: true, implementerId: true, cis: { select: { ciId: true } } },
  });
  return loadConflicts(tx, rows.map(toScheduledChange));
}

/** For pages, outside any transaction. */
export const pageConflicts = {
  ofChanges: (ids: readonly string[]) => conflictsOfChanges(db(), ids),
  /** A change page's schedule panel and its freeze guard facts (pageChangeFacts), from one set of reads. */
  of: async (change: ChangeRow) => (await loadSchedule(db(), [toScheduledChange(change)])).get(change.id)!,
};
