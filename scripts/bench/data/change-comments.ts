// A generated change's comments, at any time between its creation and its last step.
import type { Random } from "../../lib/history/random";
import type { ChangeTimeline } from "./change-timeline";
import type { BenchUser } from "./generator-context";

const NOTES = [
  "checked with the service owner",
  "monitoring dashboards attached",
  "window agreed with the business",
  "dependency owners informed",
  "runbook updated",
];

/** `count` comments, most by the requester, the rest by change managers; their rows. */
export function planComments(
  r: Random,
  timeline: ChangeTimeline,
  changeId: string,
  count: number,
  { requester, managers }: { requester: BenchUser; managers: BenchUser[] },
): unknown[][] {
  const { t0 } = timeline;
  const end = timeline.clock;
  return Array.from({ length: count }, (_, k) => {
    const author = r.chance(0.6) ? requester : r.pick(managers);
    const when = t0 + 1 + Math.floor(((k + r.next()) / count) * (end - t0));
    const body = `Note ${k + 1}: ${r.pick(NOTES)}.`;
    const row = [r.uuid(), changeId, author.id, body, new Date(when)];
    timeline.event(when, author, "change.commented", { after: { length: body.length } });
    return row;
  });
}
