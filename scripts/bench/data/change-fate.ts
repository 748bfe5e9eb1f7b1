// How a generated change's life ends: its type, its final state, and the states it passed through.
import type { ChangeState } from "../../../lib/domain/change-states";
import type { ChangeType } from "../../../lib/domain/change-types";
import type { Random } from "../../lib/history/random";
import { canBeRejected, pathToClosed, withdrawableStates } from "./lifecycle-paths";

export type ChangeFate = { type: ChangeType; state: ChangeState; visited: ChangeState[] };

const TYPE_WEIGHTS = { standard: 45, normal: 40, major: 5, emergency: 10 } as const;
// Old changes have all ended; the recent ones are spread over the open states.
const OLD_STATES = { closed: 88, rejected: 5, cancelled: 7 } as const;
const RECENT_STATES = {
  draft: 12,
  submitted: 6,
  assessment: 8,
  authorization: 35,
  scheduled: 12,
  implementing: 5,
  review: 5,
  closed: 10,
  rejected: 3,
  cancelled: 4,
} as const;

/** long: the change with the long history, a normal change closed; recent: one of the changes still in flight. */
export function drawFate(r: Random, { long, recent }: { long: boolean; recent: boolean }): ChangeFate {
  const type: ChangeType = long ? "normal" : r.weighted(TYPE_WEIGHTS);
  const path = pathToClosed(type);
  let state: ChangeState = long ? "closed" : recent ? r.weighted(RECENT_STATES) : r.weighted(OLD_STATES);
  if (state === "rejected" && !canBeRejected(type)) state = "cancelled";
  // A state off this type's path (assessment for a standard change) becomes one on it, past draft.
  if (!path.includes(state) && state !== "rejected" && state !== "cancelled")
    state = path[Math.min(path.length - 1, 1 + r.int(0, path.length - 2))]!;
  let visited: ChangeState[];
  // Rejected at CAB, so authorization was reached; withdrawn from any state before implementation.
  if (state === "rejected") visited = path.slice(0, path.indexOf("authorization") + 1);
  else if (state === "cancelled") visited = path.slice(0, path.indexOf(r.pick(withdrawableStates(type))) + 1);
  else visited = path.slice(0, path.indexOf(state) + 1);
  return { type, state, visited };
}
