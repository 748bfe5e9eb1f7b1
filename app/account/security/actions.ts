"use server";

import { formAction, texts } from "@/lib/server/actions/form-action";
import { confirmTotpEnrolment, disableTotp, regenerateRecoveryCodes, startTotpEnrolment } from "@/lib/server/auth/totp-enrolment";

const PAGE = "/account/security";

export const startTotpAction = formAction({
  input: () => ({}),
  run: (actor) => startTotpEnrolment(actor),
  revalidate: [PAGE],
});

// No revalidation: the page would redraw as "set up" and drop the recovery codes before they are read.
export const confirmTotpAction = formAction({
  input: (form) => texts(form, ["code"]),
  run: confirmTotpEnrolment,
  reveal: ({ recoveryCodes }) => recoveryCodes.join("\n"),
});

export const disableTotpAction = formAction({
  input: (form) => texts(form, ["code"]),
  run: disableTotp,
  revalidate: [PAGE],
});

export const regenerateRecoveryCodesAction = formAction({
  input: (form) => texts(form, ["code"]),
  run: regenerateRecoveryCodes,
  reveal: ({ recoveryCodes }) => recoveryCodes.join("\n"),
});
