import "server-only";
import type { ChangeType } from "@/lib/domain/change-types";
import {
  freezeStatus,
  scheduleConflicts,
  type Conflict,
  type FreezeExceptionFacts,
  type ScheduledChange,
} from "@/lib/domain/schedule-conflicts";
import type { FreezeWindowFacts, ScheduleCi, TimeWindow } from "@/lib/domain/schedule-windows";
import type { Db } from "../db/create-prisma-client";
import { cmdbGraph } from "../cis/cmdb-graph";
import { onSchedule } from "./schedule-cache";
import { overlapping } from "@/lib/domain/schedule-index";
import { db } from "../db/db";

/** The client or a transaction's: only the tables the schedule reads. */
type Tx = Pick<Db, "freezeWindow" | "configurationItem" | "changeRequest" | "freezeException" | "$queryRaw">;

type ChangeRow = {
  id: string;
  number: number;
  title: string;
  type: ChangeType;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  implementerId: string | null;
  cis: { ciId: string }[];
};

export function toScheduledChange(c: ChangeRow): ScheduledChange {
  return {
    id: c.id,
    number: c.number,
    title: c.title,
    type: c.type,
    window: c.plannedStart && c.plannedEnd ? { start: c.plannedStart, end: c.plannedEnd } : null,
    ciIds: c.cis.map((x) => x.ciId),
    implementerId: c.implementerId,
  };
}

export async function freezesBetween(tx: Tx, window: TimeWindow): Promise<FreezeWindowFacts[]> {
  const rows = await tx.freezeWindow.findMany({
    where: { startsAt: { lt: window.end }, endsAt: { gt: window.start } },
    orderBy: { startsAt: "asc" },
  });
  return rows.map((f) => ({
    id: f.id,
    start: f.startsAt,
    end: f.endsAt,
    reason: f.reason,
    scope: f.scope,
    environments: f.environments,
    tags: f.tags,
  }));
}

export async function scheduleCis(tx: Tx, ids: readonly string[]): Promise<ScheduleCi[]> {
  if (ids.length === 0) return [];
  const rows = await tx.configurationItem.findMany({
    where: { id: { in: [...new Set(ids)] } },
    select: {
      id: true,
      name: true,
      environment: true,
      tags: true,
      maintenanceWindows: {
        select: { weekday: true, startMinute: true, durationMinutes: true },
        orderBy: [{ weekday: "asc" }, { startMinute: "asc" }],
      },
    },
  });
  return rows;
}

type StoredException = { windowStart: Date; windowEnd: Date; managerApproverId: string | null; securityApproverId: string | null } | null;
export function toExceptionFacts(e: StoredException): FreezeExceptionFacts | null {
  return e
    ? {
        window: { start: e.windowStart, end: e.windowEnd },
        managerApproved: e.managerApproverId !== null,
        securityApproved: e.securityApproverId !== null,
      }
    : null;
}

/** What the lifecycle guard reads (insideFreeze, freezeExceptionGranted), for one change. */
export async function loadFreezeStatus(tx: Tx, change: ScheduledChange, exception: StoredException) {
  if (!change.window) return { insideFreeze: false, freezeExceptionGranted: false };
  const [freezes, cis] = [await freezesBetween(tx, change.window), await scheduleCis(tx, change.ciIds)];
  return freezeStatus({ change, cis, freezes, exception: toExceptionFacts(exception) });
}

/**
 * Every conflict of each change, in a fixed number of queries however many changes: the
 * freezes over the span of their windows, the changes' own CIs, and two copies kept in memory
 * while their version stands: the changes on the schedule (each change is checked against those
 * overlapping its window) and the dependency graph.
 * Other changes' CIs are named from the CMDB copy: the rules read maintenance windows and freeze
 * scopes of the listed changes' own CIs only.
 */
export async function loadConflicts(tx: Tx, changes: readonly ScheduledChange[]): Promise<Map<string, Conflict[]>> {
  return new Map([...(await loadSchedule(tx, changes))].map(([id, s]) => [id, s.conflicts]));
}

type FreezeStatus = ReturnType<typeof freezeStatus>;

/** Each change's conflicts and the freeze guard's facts, from the same reads. */
export async function loadSchedule(
  tx: Tx,
  changes: readonly ScheduledChange[],
): Promise<Map<string, { conflicts: Conflict[]; freeze: FreezeStatus }>> {
  const result = new Map(
    changes.map((c) => [c.id, { conflicts: [] as Conflict[], freeze: { insideFreeze: false, freezeExceptionGranted: false } }]),
  );
  const windows = changes.flatMap((c) => (c.window ? [c.window] : []));
  if (windows.length === 0) return result;
  const span = {
    start: new Date(Math.min(...windows.map((w) => w.start.getTime()))),
    end: new Date(Math.max(...windows.map((w) => w.end.getTime()))),
  };
  // One connection per transaction: these run one after the other.
  const freezes = await freezesBetween(tx, span);
  const schedule = await onSchedule(tx);
  const own = await scheduleCis(
    tx,
    changes.flatMap((c) => c.ciIds),
  );
  const { edges, cis: cmdb } = await cmdbGraph(tx);
  const exceptions = await tx.freezeException.findMany({ where: { changeId: { in: changes.map((c) => c.id) } } });
  const ciName = (id: string) => cmdb.get(id)?.name;
  const exceptionOf = new Map(exceptions.map((e) => [e.changeId, e]));
  for (const change of changes) {
    const others = change.window ? overlapping(schedule, change.window) : [];
    const exception = toExceptionFacts(exceptionOf.get(change.id) ?? null);
    result.set(change.id, {
      conflicts: scheduleConflicts({ change, cis: own, freezes, others, edges, exception, ciName }),
      freeze: freezeStatus({ change, cis: own, freezes, exception }),
    });
  }
  return result;
}

/** For lists (the CAB queue): the conflicts of each listed change. */
export async function conflictsOfChanges(tx: Tx, ids: readonly string[]): Promise<Map<string, Conflict[]>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.changeRequest.findMany({
    where: { id: { in: [...ids] } },
    select: {
      id: true,
      number: true,
      title: true,
      type: true,
      plannedStart: true,
      plannedEnd: true,
      implementerId: true,
      cis: { select: { ciId: true } },
    },
  });
  return loadConflicts(tx, rows.map(toScheduledChange));
}

/** For pages, outside any transaction. */
export const pageConflicts = {
  ofChanges: (ids: readonly string[]) => conflictsOfChanges(db(), ids),
  /** A change page's schedule panel and its freeze guard facts (pageChangeFacts), from one set of reads. */
  of: async (change: ChangeRow) => (await loadSchedule(db(), [toScheduledChange(change)])).get(change.id)!,
};
