// A generated change's approval rounds and the votes cast in them, by the roles its approval policy names.
import type { ApprovalRule } from "../../../lib/domain/approval-policy";
import type { Random } from "../../lib/history/random";
import type { ChangeTimeline } from "./change-timeline";
import type { BenchUser } from "./generator-context";
import type { Voters } from "./people";

export class ApprovalRounds {
  /** Rounds opened so far: the change's approval_round. */
  count = 0;
  readonly roundRows: unknown[][] = [];
  readonly voteRows: unknown[][] = [];
  private readonly ids: string[] = [];

  /** excluded: the change's requester and implementer, who never vote on it. */
  constructor(
    private readonly r: Random,
    private readonly timeline: ChangeTimeline,
    private readonly changeId: string,
    private readonly rules: readonly ApprovalRule[],
    private readonly voters: Voters,
    private readonly excluded: readonly (BenchUser | null)[],
  ) {}

  open(): void {
    this.count += 1;
    this.ids.push(this.r.uuid());
    this.roundRows.push([this.ids[this.count - 1], this.changeId, this.count, new Date(this.timeline.clock), null]);
  }

  close(): void {
    this.roundRows[this.count - 1]![4] = new Date(this.timeline.clock);
  }

  /** complete: every vote the rules ask for (else fewer, the round still open); reject: one rejection after them. */
  castVotes(round: number, complete: boolean, reject: boolean): void {
    const { r, timeline } = this;
    const voted = new Set<string>();
    const eligible = (pool: BenchUser[]) => pool.filter((u) => !this.excluded.some((x) => x?.id === u.id) && !voted.has(u.id));
    for (const rule of this.rules) {
      const pool = eligible(this.voters[rule.role]);
      const n = complete ? rule.count : r.int(0, rule.count - 1);
      for (const voter of r.sample(pool, n)) {
        voted.add(voter.id);
        const when = timeline.at();
        this.voteRows.push([r.uuid(), this.ids[round - 1], this.changeId, voter.id, rule.role, "approve", "", new Date(when)]);
        timeline.event(when, voter, "change.vote_cast", { after: { role: rule.role, decision: "approve", round } });
      }
    }
    const rule = this.rules.find((x) => x.role === "security_reviewer") ?? this.rules[0];
    if (reject && rule) {
      const voter = r.pick(eligible(this.voters[rule.role]));
      const when = timeline.at();
      const comment = "The backout plan does not cover the data migration.";
      this.voteRows.push([r.uuid(), this.ids[round - 1], this.changeId, voter.id, rule.role, "reject", comment, new Date(when)]);
      timeline.event(when, voter, "change.vote_cast", { after: { role: rule.role, decision: "reject", round }, reason: comment });
    }
  }
}
