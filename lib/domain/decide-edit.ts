import { can } from "./capabilities";
import type { ActorFacts, ChangeFacts } from "./change-facts";
import { CHANGE_STATE_LABELS } from "./change-states";
import type { Decision } from "./decision";

/**
 * May this person edit the change's fields? The requester edits their own draft; the change
 * manager classifies (type, risk, flags) during assessment. Later edits would bypass approvals.
 */
export function decideEdit(change: ChangeFacts, actor: ActorFacts): Decision {
  const audit = { action: "change.edited", from: change.state, to: change.state, reason: null, details: {} };
  if (change.state === "draft") {
    if (actor.id !== change.requesterId) return { allowed: false, reasons: ["Only the requester can edit a draft."] };
    if (!can(actor.roles, "change.request")) return { allowed: false, reasons: ["Your account may no longer file or edit changes."] };
    return { allowed: true, to: change.state, audit };
  }
  if (change.state === "submitted" || change.state === "assessment") {
    return can(actor.roles, "change.manage")
      ? { allowed: true, to: change.state, audit }
      : { allowed: false, reasons: ["Only a change manager can edit a change under assessment; ask for it to be returned for rework."] };
  }
  return { allowed: false, reasons: [`A ${CHANGE_STATE_LABELS[change.state].toLowerCase()} change cannot be edited.`] };
}
