import { CHANGE_ACTION_LABELS, CHANGE_ACTIONS, type ChangeAction } from "./change-actions";
import type { ActorFacts, ChangeFacts } from "./change-facts";
import type { Decision } from "./decision";
import { decide, type ActionInput } from "./decide";
import { stepFor } from "./transition-table";

export type ActionOption = {
  action: ChangeAction;
  label: string;
  /** The action leads somewhere from the change's current state; the UI may hide the others. */
  fromHere: boolean;
  decision: Decision;
};

/**
 * Every action of the change's path, decided for this viewer: what they may do now, and why not
 * the rest. Actions needing a reason or outcome are judged as if one will be given in the form.
 */
export function availableActions(change: ChangeFacts, actor: ActorFacts, now: Date): ActionOption[] {
  const input: ActionInput = { now, reason: "(given in the form)", outcome: "successful" };
  // The close form carries the post-implementation review and the root cause.
  const closing: ChangeFacts = { ...change, review: change.review ?? FORM_REVIEW, rootCause: change.rootCause ?? "(given in the form)" };
  return CHANGE_ACTIONS.flatMap((action) => {
    const step = stepFor(change.type, action);
    if (!step) return [];
    const decision = decide(action === "close" ? closing : change, action, actor, input);
    return [{ action, label: CHANGE_ACTION_LABELS[action], fromHere: step.from.includes(change.state), decision }];
  });
}

const FORM_REVIEW = {
  worksAsIntended: true,
  securityControlsInPlace: true,
  monitoringCovers: true,
  documentationUpdated: true,
  securityValidation: "(given in the form)",
};
