import type { ChangeFacts } from "./change-facts";
import { formatUtc } from "./utc-time";

// Starting outside the approved window is allowed, but only as a deliberate, explained choice:
// the reason goes into the audit event (and the out-of-window exception report finds it).

type Window = Pick<ChangeFacts, "plannedStart" | "plannedEnd">;

/** When an implementation starting at `now` falls against the approved window. */
export type WindowTiming = "inside" | "before" | "after" | "no_window";

export function windowTiming({ plannedStart: start, plannedEnd: end }: Window, now: Date): WindowTiming {
  if (!start || !end) return "no_window";
  if (now.getTime() < start.getTime()) return "before";
  if (now.getTime() > end.getTime()) return "after";
  return "inside";
}

/** Where `now` stands against the window, in words; null inside it (or without one). */
export function outsideWindowSituation(change: Window, now: Date): string | null {
  switch (windowTiming(change, now)) {
    case "before":
      return `The approved window opens ${formatUtc(change.plannedStart!)}: starting now is before it.`;
    case "after":
      return `The approved window closed ${formatUtc(change.plannedEnd!)}: starting now is after it.`;
    default:
      return null;
  }
}

/** The refusal when an implementation would start outside its window without a reason. */
export function outsideWindowRefusal(change: Window, now: Date, reason: string | null | undefined): string | null {
  const situation = outsideWindowSituation(change, now);
  return situation && !(reason ?? "").trim()
    ? `${situation} Give the reason for starting outside the window; it is kept in the audit log.`
    : null;
}
