"use server";

import { formAction, list, text } from "@/lib/server/actions/form-action";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { revokeToken } from "@/lib/server/api-tokens/revoke-token";
import { setServiceAccountActive } from "@/lib/server/api-tokens/set-service-account-active";

const PAGE = "/admin/service-accounts";

export const createServiceAccountAction = formAction({
  input: (form) => ({ name: text(form, "name"), roles: list(form, "roles") }),
  keep: (input) => input,
  run: createServiceAccount,
  revalidate: [PAGE],
});

export const setServiceAccountActiveAction = formAction({
  input: (form) => ({ serviceAccountId: form.get("serviceAccountId"), active: form.get("active") === "true" }),
  run: setServiceAccountActive,
  revalidate: [PAGE],
});

export const issueServiceAccountTokenAction = formAction({
  input: (form) => ({
    name: text(form, "name"),
    scopes: list(form, "scopes"),
    expiresInDays: text(form, "expiresInDays"),
    serviceAccountId: form.get("serviceAccountId"),
  }),
  keep: ({ name, scopes, expiresInDays }) => ({ name, scopes, expiresInDays }),
  run: issueServiceAccountToken,
  stepUp: true,
  revalidate: [PAGE],
  // The token travels back to this form once and is never stored or put in a URL.
  reveal: (value) => value.token,
});

export const revokeServiceAccountTokenAction = formAction({
  input: (form) => ({ tokenId: form.get("tokenId") }),
  run: revokeToken,
  revalidate: [PAGE],
});
