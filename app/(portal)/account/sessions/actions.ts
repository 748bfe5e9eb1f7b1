"use server";

import { formAction } from "@/lib/server/actions/form-action";
import { endOtherOwnSessions, endOwnSession } from "@/lib/server/users/user-sessions";

export const endOwnSessionAction = formAction({
  input: (form) => ({ sessionId: form.get("sessionId") }),
  run: endOwnSession,
  revalidate: ["/account/sessions"],
});

export const endOtherSessionsAction = formAction({
  input: () => ({}),
  run: (actor) => endOtherOwnSessions(actor),
  revalidate: ["/account/sessions"],
});
