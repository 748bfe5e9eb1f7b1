import { can } from "./capabilities";
import { CLASSIFYING_FIELDS, type ClassifyingField } from "./change-edits";
import type { ActorFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS, type ChangeState } from "./change-states";
import { allow, decideFrom, type Decision } from "./decision";
import { segregationRefusal } from "./segregation-of-duties";

/**
 * May this person make this edit (`edited`: the fields it changes, change-edits.ts)? The
 * requester edits their own draft; the change manager classifies (type, risk, flags) during
 * assessment, but never a change they requested or implement: that would choose its approvers
 * (domain.md, segregation of duties). Later edits would bypass approvals.
 */
export function decideEdit(change: ChangeFacts, actor: ActorFacts, edited: readonly string[]): Decision {
  const audit = () => ({ action: "change.edited", from: change.state, to: change.state, reason: null, details: {} });
  if (change.state === "draft") {
    if (actor.id !== change.requesterId) return { allowed: false, reasons: ["Only the requester can edit a draft."] };
    if (!can(actor.roles, "change.request")) return { allowed: false, reasons: ["Your account may no longer file or edit changes."] };
    return decideFrom([], audit);
  }
  if (change.state === "submitted" || change.state === "assessment") {
    if (!can(actor.roles, "change.manage"))
      return {
        allowed: false,
        reasons: ["Only a change manager can edit a change under assessment; ask for it to be returned for rework."],
      };
    // Named in the form's order.
    const classifying = (Object.keys(CLASSIFYING_FIELDS) as ClassifyingField[])
      .filter((field) => edited.includes(field))
      .map((field) => CLASSIFYING_FIELDS[field]);
    return decideFrom(
      [classifying.length > 0 && segregationRefusal(change, actor.id, `reclassify, re-scope or reschedule it (${classifying.join(", ")})`)],
      audit,
    );
  }
  if (AUTHORIZED.includes(change.state) && edited.includes("artifacts")) return decideArtifactChange(change, actor, edited);
  return { allowed: false, reasons: [`A ${CHANGE_STATE_LABELS[change.state].toLowerCase()} change cannot be edited.`] };
}

// Authorized: the approval covers exactly these artifacts' digests (issue 32).
const AUTHORIZED: readonly ChangeState[] = ["scheduled", "implementing"];

/**
 * An authorized change's artifact set is frozen: changing it is allowed only alone, and sends the
 * change back for a new approval round (normal and major to assessment, emergency to the ECAB).
 */
function decideArtifactChange(change: ChangeFacts, actor: ActorFacts, edited: readonly string[]): Decision {
  const state = CHANGE_STATE_LABELS[change.state].toLowerCase();
  const others = edited.filter((f) => f !== "artifacts");
  if (others.length > 0)
    return {
      allowed: false,
      reasons: [
        `A ${state} change cannot be edited, except its artifacts (which sends it back for approval); save the artifacts alone. Also changed: ${others.join(", ")}.`,
      ],
    };
  if (change.type === "standard")
    return {
      allowed: false,
      reasons: ["A standard change ships what its template approved; to ship other artifacts, cancel it and file a new change."],
    };
  if (actor.id !== change.requesterId && !can(actor.roles, "change.manage"))
    return { allowed: false, reasons: ["Only the requester or a change manager can change an authorized change's artifacts."] };
  const to: ChangeState = change.type === "emergency" ? "authorization" : "assessment";
  return allow({
    action: "change.artifacts_changed",
    from: change.state,
    to,
    reason: "The approved artifact set changed: the approval covered the old digests.",
    details: {},
  });
}
