// One generated change's clock and audit events: each step comes a random while after the one before.
import type { Random } from "../../lib/history/random";
import { MINUTE, type BenchUser, type EventDetails, type PlanEvent } from "./generator-context";

export class ChangeTimeline {
  clock: number;
  /** The change's own events so far (its version counts them). */
  events = 0;

  /** span: how long the change's steps take in all, about (steps come up to span / 12 apart). */
  constructor(
    private readonly r: Random,
    private readonly plan: PlanEvent,
    private readonly changeId: string,
    readonly t0: number,
    private readonly span: number,
  ) {
    this.clock = t0;
  }

  /** The time of the next step, which becomes the clock. */
  at(): number {
    return (this.clock += Math.floor(this.r.next() * (this.span / 12)) + MINUTE);
  }

  event(when: number, actor: BenchUser, action: string, details: EventDetails = {}): void {
    this.events++;
    this.plan(when, actor, action, "change", this.changeId, this.changeId, details);
  }
}
