import { can } from "./capabilities";
import type { ActorFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS, type ChangeState } from "./change-states";
import { decideFrom, type Decision } from "./decision";
import type { Conflict } from "./schedule-conflicts";
import type { TimeWindow } from "./schedule-windows";
import { segregationRefusal } from "./segregation-of-duties";

const RESCHEDULABLE = ["authorization", "scheduled"] as const satisfies readonly ChangeState[];

/**
 * May a change manager move the planned window? Not one who requested or implements the change,
 * whatever their roles (domain.md, segregation of duties). Conflicts are checked for the new
 * window: in authorization a block stays visible and stops the schedule step; a scheduled change
 * is never moved into a block.
 */
export function decideReschedule(
  change: ChangeFacts,
  actor: ActorFacts,
  window: TimeWindow,
  now: Date,
  conflicts: readonly Conflict[],
): Decision {
  if (!(RESCHEDULABLE as readonly ChangeState[]).includes(change.state)) {
    return {
      allowed: false,
      reasons: [
        `Only changes in authorization or scheduled can be rescheduled; this one is ${CHANGE_STATE_LABELS[change.state].toLowerCase()}.`,
      ],
    };
  }
  const blocks = change.state === "scheduled" ? conflicts.filter((c) => c.severity === "block") : [];
  return decideFrom(
    [
      !can(actor.roles, "change.manage") && "Only a change manager can reschedule a change.",
      can(actor.roles, "change.manage") && segregationRefusal(change, actor.id, "reschedule it"),
      !(window.start < window.end) && "The planned end must be after the planned start.",
      !(window.start > now) && "The planned start must be in the future.",
      ...blocks.map((b) => `${b.message} ${b.proceed}`),
    ],
    () => ({
      action: "change.rescheduled",
      from: change.state,
      to: change.state,
      reason: null,
      details: {
        plannedStart: window.start.toISOString(),
        plannedEnd: window.end.toISOString(),
        previousStart: change.plannedStart?.toISOString() ?? null,
        previousEnd: change.plannedEnd?.toISOString() ?? null,
        warnings: conflicts.filter((c) => c.severity !== "info").length,
      },
    }),
  );
}
