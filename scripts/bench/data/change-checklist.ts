// A generated change's checklist: readiness items signed before implementation, the rest before
// its review ends, one in fifty of those waived.
import type { ChecklistItem } from "../../../lib/domain/checklist";
import type { Random } from "../../lib/history/random";
import type { ChangeTimeline } from "./change-timeline";
import type { BenchUser } from "./generator-context";

export type ChecklistProgress = { implementing: boolean; reviewed: boolean; closed: boolean };

export function planSignOffs(
  r: Random,
  timeline: ChangeTimeline,
  changeId: string,
  items: readonly ChecklistItem[],
  progress: ChecklistProgress,
  signers: { managers: BenchUser[]; securityReviewers: BenchUser[] },
): unknown[][] {
  return items.map((item) => {
    const due = item.preImplementation ? progress.implementing : progress.reviewed && (progress.closed || r.chance(0.5));
    const waived = due && !item.preImplementation && r.chance(0.02);
    const signer = r.pick(item.signerRole === "change_manager" ? signers.managers : signers.securityReviewers);
    const when = due ? timeline.at() : null;
    if (due)
      timeline.event(when!, signer, waived ? "checklist.waived" : "checklist.signed_off", {
        after: { key: item.key },
        reason: waived ? "Compensating control in place." : null,
      });
    return [
      r.uuid(),
      changeId,
      item.key,
      item.title,
      item.signerRole,
      item.evidence,
      item.preImplementation,
      due ? (waived ? "waived" : "signed") : "pending",
      due ? signer.id : null,
      when === null ? null : new Date(when),
      due && !waived ? `Evidence for ${item.key}` : null,
      waived ? "Monitoring alert on the affected CI." : null,
      waived ? "Low: compensated." : null,
    ];
  });
}
