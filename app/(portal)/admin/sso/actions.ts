"use server";

import { formAction, texts } from "@/lib/server/actions/form-action";
import { saveSecondFactorPolicy } from "@/lib/server/auth/second-factor-policy";

export const saveSecondFactorPolicyAction = formAction({
  input: (form) => texts(form, ["policy"]),
  keep: (input) => input,
  run: saveSecondFactorPolicy,
  revalidate: ["/admin/sso"],
});
