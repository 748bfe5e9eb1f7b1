import type { ApproverFacts, ChangeFacts } from "./change-facts";
import { decideFrom, type Decision } from "./decision";
import { checklistItemRefusal, scanFailures } from "./decide-sign-off";
import { isItemDone, SCAN_POLICY_ITEM } from "./checklist";
import { segregationRefusal, serviceAccountRefusal } from "./segregation-of-duties";

export type WaiverRequest = {
  compensatingControl: string;
  residualRisk: string;
  /** When the waiver lapses; the scan policy's waiver must have one. */
  expiresAt?: Date | null;
  now?: Date;
};

/** May this person waive this checklist item? Only a security reviewer, with a compensating control and the residual risk. */
export function decideWaiver(change: ChangeFacts, actor: ApproverFacts, key: string, waiver: WaiverRequest): Decision {
  const notPerson = serviceAccountRefusal(actor, "waive a checklist item");
  if (notPerson) return { allowed: false, reasons: [notPerson] };
  const { item, refusal } = checklistItemRefusal(change, key);
  if (!item || refusal) return { allowed: false, reasons: [refusal ?? "This checklist item does not apply to this change."] };
  if (item.preImplementation)
    return { allowed: false, reasons: [`"${item.title}" cannot be waived; it must be signed before implementation starts.`] };
  const control = waiver.compensatingControl.trim();
  const residual = waiver.residualRisk.trim();
  const expiresAt = waiver.expiresAt ?? null;
  const now = waiver.now ?? new Date();
  const scanItem = key === SCAN_POLICY_ITEM;
  return decideFrom(
    [
      !actor.roles.includes("security_reviewer") && "Only a security reviewer can grant a waiver.",
      segregationRefusal(change, actor.id, "waive its checklist items"),
      control === "" && "Describe the compensating control that stands in for this item.",
      residual === "" && "Describe the residual risk that remains with the waiver.",
      scanItem && isItemDone(change, key) && `"${item.title}" is met: the artifacts hold the scan policy.`,
      scanItem && !expiresAt && "A waiver of the scan policy needs an expiry: until when does the compensating control stand in?",
      expiresAt !== null && expiresAt.getTime() <= now.getTime() && "The waiver's expiry must be in the future.",
    ],
    () => ({
      action: "checklist.waived",
      from: change.state,
      to: change.state,
      reason: control,
      details: {
        key,
        title: item.title,
        compensatingControl: control,
        residualRisk: residual,
        expiresAt: expiresAt?.toISOString() ?? null,
        ...(scanItem ? { scanFindings: scanFailures(change) } : {}),
      },
    }),
  );
}
