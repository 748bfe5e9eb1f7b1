import { dependencyGraphOf, type CiDependencyEdge } from "./blast-radius";
import type { ChangeType } from "./change-types";
import { changeReference } from "./change-visibility";
import {
  describeFreeze,
  describeSlot,
  freezesHit,
  insideMaintenanceWindow,
  overlaps,
  type FreezeWindowFacts,
  type ScheduleCi,
  type TimeWindow,
} from "./schedule-windows";
import { formatUtcRange } from "./utc-time";

/** A change as the schedule sees it. */
export type ScheduledChange = {
  id: string;
  number: number;
  title: string;
  type: ChangeType;
  window: TimeWindow | null;
  ciIds: readonly string[];
  implementerId: string | null;
};

/** A freeze exception as stored: for the window it was asked for, approved by whom so far. */
export type FreezeExceptionFacts = { window: TimeWindow; managerApproved: boolean; securityApproved: boolean };

/**
 * block: scheduling is refused until it is resolved; warning: the CAB should look;
 * info: a freeze that does not stop this change, and why.
 */
export type ConflictSeverity = "block" | "warning" | "info";
export type Conflict = {
  kind: "freeze" | "maintenance" | "overlap" | "implementer";
  severity: ConflictSeverity;
  /** What is wrong, in words. */
  message: string;
  /** How to proceed. */
  proceed: string;
  /** The other change, for overlaps and double bookings. */
  other?: { id: string; number: number; title: string };
};

export type ScheduleContext = {
  change: ScheduledChange;
  /** At least the CIs of the change; more are ignored. */
  cis: readonly ScheduleCi[];
  freezes: readonly FreezeWindowFacts[];
  /** Other changes on the schedule; the change itself is skipped if present. */
  others: readonly ScheduledChange[];
  edges: readonly CiDependencyEdge[];
  exception: FreezeExceptionFacts | null;
  /** Names other changes' CIs in messages; by default the names in `cis`. */
  ciName?: (id: string) => string | undefined;
};

const sameWindow = (a: TimeWindow, b: TimeWindow) => a.start.getTime() === b.start.getTime() && a.end.getTime() === b.end.getTime();

/** Granted when both approvals are in and it was asked for the window the change now plans. */
export function exceptionCovers(exception: FreezeExceptionFacts | null, window: TimeWindow | null): boolean {
  return (
    exception !== null && window !== null && exception.managerApproved && exception.securityApproved && sameWindow(exception.window, window)
  );
}

/** What the lifecycle guard reads: is the change inside a freeze, and does an exception cover it. */
export function freezeStatus(context: Pick<ScheduleContext, "change" | "cis" | "freezes" | "exception">): {
  insideFreeze: boolean;
  freezeExceptionGranted: boolean;
} {
  const { change } = context;
  if (!change.window) return { insideFreeze: false, freezeExceptionGranted: false };
  const cis = context.cis.filter((ci) => change.ciIds.includes(ci.id));
  return {
    insideFreeze: freezesHit(change.window, cis, context.freezes).length > 0,
    freezeExceptionGranted: exceptionCovers(context.exception, change.window),
  };
}

export const EXCEPTION_HOW =
  "ask for a freeze exception, which a change manager and a security reviewer (neither of them the requester or implementer) must both approve";

/**
 * Whether a freeze stops a change of this type, and how to proceed: emergencies may run inside a
 * freeze, majors never, others only under an approved exception. The schedule and the deployment
 * gate both ask this.
 */
export function freezeVerdict(type: ChangeType, excepted: boolean): Pick<Conflict, "severity" | "proceed"> {
  if (type === "emergency")
    return { severity: "info", proceed: "Emergency changes may run inside a freeze; the retrospective review covers it." };
  if (type === "major")
    return { severity: "block", proceed: "Major changes are never scheduled inside a freeze: move the planned window outside it." };
  if (excepted)
    return { severity: "info", proceed: "A freeze exception approved by a change manager and a security reviewer covers this window." };
  return { severity: "block", proceed: `Move the planned window outside the freeze, or ${EXCEPTION_HOW}.` };
}

function freezeConflicts(context: ScheduleContext, window: TimeWindow, cis: readonly ScheduleCi[]): Conflict[] {
  const excepted = exceptionCovers(context.exception, window);
  const verdict = freezeVerdict(context.change.type, excepted);
  return freezesHit(window, cis, context.freezes).map((freeze): Conflict => ({
    kind: "freeze",
    message: `The planned window falls inside the freeze ${describeFreeze(freeze)}.`,
    ...verdict,
  }));
}

function maintenanceConflicts(window: TimeWindow, cis: readonly ScheduleCi[]): Conflict[] {
  // A CI with no maintenance window may be changed any time.
  return cis
    .filter((ci) => ci.maintenanceWindows.length > 0 && !insideMaintenanceWindow(window, ci.maintenanceWindows))
    .map((ci) => ({
      kind: "maintenance",
      severity: "warning",
      message: `The planned window is outside the maintenance windows of ${ci.name}: ${ci.maintenanceWindows.map(describeSlot).join("; ")}.`,
      proceed: `Move the change into one of ${ci.name}'s maintenance windows, or agree the timing with its owner.`,
    }));
}

// A queue page checks each of its changes against the same CIs: name them once.
const nameMaps = new WeakMap<readonly ScheduleCi[], Map<string, string>>();
function namesOf(cis: readonly ScheduleCi[]): Map<string, string> {
  let names = nameMaps.get(cis);
  if (!names) nameMaps.set(cis, (names = new Map(cis.map((ci) => [ci.id, ci.name]))));
  return names;
}

// How a message names another change. The schedule copy is kept between requests and a busy
// change overlaps many queue rows: each change's line is written once per copy, not per mention.
const references = new WeakMap<ScheduledChange, string>();
function referenceOf(other: ScheduledChange, window: TimeWindow): string {
  let ref = references.get(other);
  if (ref === undefined)
    references.set(other, (ref = `${changeReference(other.number)} "${other.title}" (${formatUtcRange(window.start, window.end)})`));
  return ref;
}

function overlapConflicts(context: ScheduleContext, window: TimeWindow): Conflict[] {
  const { change } = context;
  const mine = new Set(change.ciIds);
  const graph = dependencyGraphOf(context.edges);
  const lookup = context.ciName ?? ((id: string) => namesOf(context.cis).get(id));
  const name = (id: string) => lookup(id) ?? "a configuration item";
  const conflicts: Conflict[] = [];
  for (const other of context.others) {
    if (other.id === change.id || !other.window || !overlaps(window, other.window)) continue;
    const same = other.ciIds.filter((id) => mine.has(id));
    // Either change may touch something the other's CIs feed: both directions matter.
    // The other's CIs in this change's blast radius, else this change's CIs in the other's.
    const dependent = same.length > 0 ? [] : other.ciIds.filter((o) => change.ciIds.some((m) => graph.dependsOn(o, m)));
    const upstream =
      same.length > 0 || dependent.length > 0 ? [] : change.ciIds.filter((m) => other.ciIds.some((o) => graph.dependsOn(m, o)));
    const sameImplementer = change.implementerId !== null && other.implementerId === change.implementerId;
    if (same.length === 0 && dependent.length === 0 && upstream.length === 0 && !sameImplementer) continue;
    // Most changes overlapping a window touch nothing of it: words only for those that do.
    const ref = referenceOf(other, other.window);
    const link = { id: other.id, number: other.number, title: other.title };
    if (same.length > 0) {
      conflicts.push({
        kind: "overlap",
        severity: "warning",
        other: link,
        message: `${ref} changes ${same.map(name).join(", ")} at the same time.`,
        proceed: "Agree an order with the other change's manager, or move one of the windows.",
      });
    } else if (dependent.length > 0 || upstream.length > 0) {
      const which =
        dependent.length > 0
          ? `${dependent.map(name).join(", ")}, which depends on this change's configuration items`
          : `${upstream.map(name).join(", ")}'s dependencies`;
      conflicts.push({
        kind: "overlap",
        severity: "warning",
        other: link,
        message: `${ref} changes ${which}, in an overlapping window.`,
        proceed: "Check the two changes cannot disturb each other, or move one of the windows.",
      });
    }
    if (sameImplementer) {
      conflicts.push({
        kind: "implementer",
        severity: "warning",
        other: link,
        message: `The implementer is also booked on ${ref}.`,
        proceed: "Assign another implementer to one of the changes, or move one of the windows.",
      });
    }
  }
  return conflicts;
}

const ORDER: Record<ConflictSeverity, number> = { block: 0, warning: 1, info: 2 };

/**
 * Every scheduling conflict of a change (domain.md, Schedule, freezes, conflicts): a freeze blocks
 * unless the change is an emergency or excepted; outside a CI's maintenance window, another change
 * on the same or a dependent CI, and the implementer booked twice are warnings. Blocks first.
 */
export function scheduleConflicts(context: ScheduleContext): Conflict[] {
  const { change } = context;
  if (!change.window) return [];
  const cis = context.cis.filter((ci) => change.ciIds.includes(ci.id));
  return [
    ...freezeConflicts(context, change.window, cis),
    ...maintenanceConflicts(change.window, cis),
    ...overlapConflicts(context, change.window),
  ].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}

const SUMMARY_PHRASES: Record<Conflict["kind"], [string, string]> = {
  overlap: ["overlapping change", "overlapping changes"],
  maintenance: ["CI maintenance window missed", "CI maintenance windows missed"],
  implementer: ["double booking of the implementer", "double bookings of the implementer"],
  freeze: ["freeze the change may run in", "freezes the change may run in"],
};

/**
 * For a row of a list (the CAB queue): the blocks in full, since each stops the change, and the
 * rest counted in words, e.g. "12 overlapping changes, 1 CI maintenance window missed".
 */
export function summarizeConflicts(conflicts: readonly Conflict[]): { blocks: Conflict[]; others: string | null } {
  const counts = new Map<Conflict["kind"], number>();
  for (const c of conflicts) if (c.severity !== "block") counts.set(c.kind, (counts.get(c.kind) ?? 0) + 1);
  const phrases = [...counts].map(([kind, n]) => `${n} ${SUMMARY_PHRASES[kind][n === 1 ? 0 : 1]}`);
  return { blocks: conflicts.filter((c) => c.severity === "block"), others: phrases.length ? phrases.join(", ") : null };
}
