"use server";

import { formAction, text, texts } from "@/lib/server/actions/form-action";
import { castVote } from "@/lib/server/changes/cast-vote";

/** A vote from the queue: the same use case as on the change page. */
export const queueVoteAction = formAction({
  input: (form) => ({
    changeId: form.get("changeId"),
    role: form.get("role"),
    decision: form.get("decision"),
    comment: text(form, "comment"),
    onBehalfOf: text(form, "onBehalfOf"),
  }),
  // What was chosen goes back with a refusal, so the form shows it (see components/ui/form-values.ts).
  keep: (_, form) => texts(form, ["role", "decision", "comment"]),
  run: castVote,
  stepUp: true,
  revalidate: ["/cab"],
});
