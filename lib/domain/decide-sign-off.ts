import type { ApproverFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS, type ChangeState } from "./change-states";
import { applicableItems, SCAN_POLICY_ITEM, type ApplicableItem } from "./checklist";
import { decideFrom, type Decision } from "./decision";
import { ROLE_LABELS } from "./roles";
import { segregationRefusal, serviceAccountRefusal } from "./segregation-of-duties";

/** Checklist items are signed or waived while the change is in progress, including its review. */
export const CHECKLIST_STATES = [
  "submitted",
  "assessment",
  "authorization",
  "scheduled",
  "implementing",
  "review",
] as const satisfies readonly ChangeState[];

/** The refusals common to signing and waiving an item, and the item when it applies. */
export function checklistItemRefusal(change: ChangeFacts, key: string): { item: ApplicableItem | null; refusal: string | null } {
  if (!(CHECKLIST_STATES as readonly ChangeState[]).includes(change.state)) {
    return {
      item: null,
      refusal: `Checklist items are signed while a change is in progress; this one is ${CHANGE_STATE_LABELS[change.state].toLowerCase()}.`,
    };
  }
  const item = applicableItems(change).find((i) => i.key === key) ?? null;
  if (!item) return { item, refusal: "This checklist item does not apply to this change." };
  const entry = change.checklist.find((e) => e.key === key);
  if (entry?.status === "signed") return { item, refusal: `"${item.title}" is already signed off.` };
  if (entry?.status === "waived") return { item, refusal: `"${item.title}" is already waived.` };
  return { item, refusal: null };
}

/** May this person sign off this checklist item, with this evidence? */
export function decideSignOff(change: ChangeFacts, actor: ApproverFacts, key: string, evidence: string): Decision {
  const notPerson = serviceAccountRefusal(actor, "sign off a checklist item");
  if (notPerson) return { allowed: false, reasons: [notPerson] };
  const { item, refusal } = checklistItemRefusal(change, key);
  if (!item || refusal) return { allowed: false, reasons: [refusal ?? "This checklist item does not apply to this change."] };
  const text = evidence.trim();
  if (key === SCAN_POLICY_ITEM)
    return {
      allowed: false,
      reasons: [
        change.artifacts.length === 0
          ? `"${item.title}" is judged from the artifacts' scans: list the release artifacts on the change first.`
          : change.scanPolicy.passes
            ? `"${item.title}" is met: the artifacts hold the scan policy.`
            : `"${item.title}" is judged from the artifacts' scans, not signed: ${scanFailures(change)} A security reviewer may waive it with a compensating control and an expiry.`,
      ],
    };
  return decideFrom(
    [
      !actor.roles.includes(item.signerRole) && `Only a ${ROLE_LABELS[item.signerRole].toLowerCase()} can sign off "${item.title}".`,
      segregationRefusal(change, actor.id, "sign off its checklist items"),
      text === "" && `Describe the evidence: ${item.evidence}.`,
    ],
    () => ({
      action: "checklist.signed_off",
      from: change.state,
      to: change.state,
      reason: null,
      details: { key, title: item.title, evidence: text },
    }),
  );
}

/** The scan policy's failures in one sentence each, for a refusal or a page. */
export function scanFailures(change: Pick<ChangeFacts, "scanPolicy">): string {
  return change.scanPolicy.violations.map((v) => v.message).join(" ");
}
