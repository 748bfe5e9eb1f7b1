// The generated changes' paths through the lifecycle, read off lib/domain's transition table: the
// data follows the rules the app enforces, and a change to the table changes the data with it.
import type { ChangeAction } from "../../../lib/domain/change-actions";
import type { ChangeState } from "../../../lib/domain/change-states";
import type { ChangeType } from "../../../lib/domain/change-types";
import { stepFor } from "../../../lib/domain/transition-table";

/** The actions that take a change on towards closed; the others (reject, rework, cancel, withdraw) turn it aside. */
const ONWARD: readonly ChangeAction[] = [
  "submit",
  "start_assessment",
  "request_authorization",
  "schedule",
  "start_implementation",
  "record_outcome",
  "close",
];

/** The states a change of this type passes through from draft to closed. */
export function pathToClosed(type: ChangeType): ChangeState[] {
  const path: ChangeState[] = ["draft"];
  for (;;) {
    const from = path.at(-1)!;
    const step = ONWARD.map((action) => stepFor(type, action)).find((s) => s !== null && s.from.includes(from));
    if (!step || path.includes(step.to)) return path;
    path.push(step.to);
  }
}

/** The states a change of this type may be withdrawn from (any time before implementation starts). */
export function withdrawableStates(type: ChangeType): readonly ChangeState[] {
  return stepFor(type, "withdraw")?.from ?? [];
}

/** Whether a change of this type can be rejected at all (a standard change is authorized by its template). */
export function canBeRejected(type: ChangeType): boolean {
  return stepFor(type, "reject")?.from.includes("authorization") ?? false;
}
