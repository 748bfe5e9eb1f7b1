"use server";

import { formAction, list, text } from "@/lib/server/actions/form-action";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { revokeToken } from "@/lib/server/api-tokens/revoke-token";

const tokenFields = (form: FormData) => ({
  name: text(form, "name"),
  scopes: list(form, "scopes"),
  expiresInDays: text(form, "expiresInDays"),
});

export const issueTokenAction = formAction({
  input: tokenFields,
  keep: (input) => input,
  run: issueOwnToken,
  // A token outlives the session: minting one from a stolen session would keep the thief's access.
  stepUp: true,
  revalidate: ["/account/tokens"],
  // The token travels back to this form once and is never stored or put in a URL.
  reveal: (value) => value.token,
});

export const revokeTokenAction = formAction({
  input: (form) => ({ tokenId: form.get("tokenId") }),
  run: revokeToken,
  revalidate: ["/account/tokens"],
});
