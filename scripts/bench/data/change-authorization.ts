// A generated change from submission to its CAB's decision: assessment, the approval rounds (one
// in ten first returned for rework), then its rejection or authorization.
import { CHANGE_ACTION_EVENTS, type ChangeAction } from "../../../lib/domain/change-actions";
import type { ChangeState } from "../../../lib/domain/change-states";
import type { RiskLevel } from "../../../lib/domain/risk-levels";
import type { Random } from "../../lib/history/random";
import type { ApprovalRounds } from "./change-approvals";
import type { ChangeFate } from "./change-fate";
import type { ChangeTimeline } from "./change-timeline";
import type { BenchUser } from "./generator-context";

export type Authorization = {
  submittedAt: number | null;
  authorizedAt: number | null;
  reworked: number;
  /** When the change manager recorded the backout test, as assessment began; null if it never reached assessment. */
  backoutTestedAt: number | null;
};

export function planAuthorization(
  r: Random,
  timeline: ChangeTimeline,
  { type, state, visited }: ChangeFate,
  { requester, manager }: { requester: BenchUser; manager: BenchUser },
  rounds: ApprovalRounds,
  risk: { riskScore: number | null; riskLevel: RiskLevel | null },
): Authorization {
  const reached = (s: ChangeState) => visited.includes(s);
  const at = () => timeline.at();
  const step = (action: ChangeAction, from: ChangeState, to: ChangeState, reason?: string) =>
    timeline.event(at(), manager, CHANGE_ACTION_EVENTS[action], {
      before: { state: from },
      after: { state: to },
      ...(reason ? { reason } : {}),
    });
  const submit = (when: number, to: ChangeState) =>
    timeline.event(when, requester, CHANGE_ACTION_EVENTS.submit, { before: { state: "draft" }, after: { state: to, ...risk } });

  if (visited.length === 1) return { submittedAt: null, authorizedAt: null, reworked: 0, backoutTestedAt: null };
  const submittedAt = at();
  let authorizedAt: number | null = null;
  let reworked = 0;
  let backoutTestedAt: number | null = null;
  submit(submittedAt, visited[1]!);
  if (reached("assessment")) {
    step("start_assessment", "submitted", "assessment");
    // The change manager records the backout test, as the edit form does: the requester's own box does not count.
    backoutTestedAt = timeline.clock;
    timeline.event(backoutTestedAt, manager, "change.edited", {
      before: { backoutTestRecorded: false },
      after: { backoutTestRecorded: true },
    });
    if (reached("authorization")) {
      if (r.chance(0.1)) {
        // A first round that ended in rework: one rejection, back to draft, edited and resubmitted.
        step("request_authorization", "assessment", "authorization");
        rounds.open();
        rounds.castVotes(rounds.count, false, true);
        rounds.close();
        step("return_for_rework", "authorization", "draft", "Address the rejection and resubmit.");
        reworked = 1;
        timeline.event(at(), requester, "change.edited", { after: { fields: ["backoutPlan"] } });
        submit(at(), "submitted");
        step("start_assessment", "submitted", "assessment");
      }
      step("request_authorization", "assessment", "authorization");
    }
  }
  if (reached("authorization")) {
    if (rounds.count === 0 || reworked) rounds.open();
    const pending = state === "authorization" || (state === "cancelled" && visited.at(-1) === "authorization");
    rounds.castVotes(rounds.count, !pending && state !== "rejected", state === "rejected");
    if (state === "rejected") {
      step("reject", "authorization", "rejected", "Rejected at CAB.");
      rounds.close();
    } else if (!pending) {
      authorizedAt = timeline.clock;
      rounds.close();
      // An emergency's ECAB approval is its authorization: it goes from there straight to work.
      if (reached("scheduled")) step("schedule", "authorization", "scheduled");
    }
  }
  // A standard change is authorized by its template when submitted.
  return { submittedAt, authorizedAt: type === "standard" ? submittedAt : authorizedAt, reworked, backoutTestedAt };
}
