"use server";

import { formAction } from "@/lib/server/actions/form-action";
import { takeCheckpointOnDemand } from "@/lib/server/audit-verification/take-checkpoint-on-demand";

// The form's fields are unused: the checkpoint needs nothing but the session.
export const takeCheckpointAction = formAction({
  input: () => ({}),
  run: (actor) => takeCheckpointOnDemand(actor),
  revalidate: ["/audit/verify"],
});
