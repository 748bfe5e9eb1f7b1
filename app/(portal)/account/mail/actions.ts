"use server";

import { formAction, list } from "@/lib/server/actions/form-action";
import { saveMailPreferences } from "@/lib/server/deliveries/mail-preferences";

export const saveMailPreferencesAction = formAction({
  input: (form) => ({ enabled: list(form, "enabled") }),
  keep: (input) => ({ enabled: input.enabled }),
  run: saveMailPreferences,
  revalidate: ["/account/mail"],
});
