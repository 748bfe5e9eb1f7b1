import "server-only";
import type { ChangeType } from "@/lib/domain/change-types";
import { freezeStatus, scheduleConflicts, type Conflict, type FreezeExceptionFacts, type ScheduledChange } from "@/lib/domain/schedule-conflicts";
import type { FreezeWindowFacts, ScheduleCi, TimeWindow } from "@/lib/domain/schedule-windows";
import type { Db } from "../db/create-prisma-client";
import { db } from "../db/db";

/** The client or a transaction's: only the tables the schedule reads. */
type Tx = Pick<Db, "freezeWindow" | "configurationItem" | "changeRequest" | "ciDependency" | "freezeException">;

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

/**
 * Every conflict of each change, in a fixed number of queries however many changes: the
 * freezes and other changes over the span of all their windows, their CIs, the dependency graph.
 * `override` checks a change at a window it does not have yet (rescheduling).
 */
export async function loadConflicts(tx: Tx, changes: readonly ScheduledChange[]): Promise<Map<string, Conflict[]>> {
  const result = new Map<string, Conflict[]>(changes.map((c) => [c.id, []]));
  const windows = changes.flatMap((c) => (c.window ? [c.window] : []));
  if (windows.length === 0) return result;
  const span = { start: new Date(Math.min(...windows.map((w) => w.start.getTime()))), end: new Date(Math.max(...windows.map((w) => w.end.getTime()))) };
  // One connection per transaction: these run one after the other.
  const freezes = await freezesBetween(tx, span);
  const otherRows = await tx.changeRequest.findMany({
    where: { state: { in: [...ON_SCHEDULE] }, plannedStart: { lt: span.end }, plannedEnd: { gt: span.start } },
    select: { id: true, number: true, title: true, type: true, plannedStart: true, plannedEnd: true, implementerId: true, cis: { select: { ciId: true } } },
  });
  const others = otherRows.map(toScheduledChange);
  const cis = await scheduleCis(tx, [...changes, ...others].flatMap((c) => c.ciIds));
  const edges = await tx.ciDependency.findMany({ select: { ciId: true, dependsOnId: true } });
  const exceptions = await tx.freezeException.findMany({ where: { changeId: { in: changes.map((c) => c.id) } } });
  const exceptionOf = new Map(exceptions.map((e) => [e.changeId, e]));
  for (const change of changes) {
    result.set(change.id, scheduleConflicts({ change, cis, freezes, others, edges, exception: toExceptionFacts(exceptionOf.get(change.id) ?? null) }));
  }
  return result;
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
  of: async (change: ChangeRow) => (await loadConflicts(db(), [toScheduledChange(change)])).get(change.id) ?? [],
};
