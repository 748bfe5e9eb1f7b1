"use server";

import { revalidatePath } from "next/cache";
import type { TokenFormState } from "@/components/api-tokens/token-form";
import { currentActor } from "@/lib/server/auth/current-actor";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { issueOwnToken } from "@/lib/server/api-tokens/issue-token";
import { revokeToken } from "@/lib/server/api-tokens/revoke-token";

// Thin adapters: read the form, call the use case (which checks the caller itself), revalidate.

export async function issueTokenAction(_previous: TokenFormState, form: FormData): Promise<TokenFormState> {
  const values = {
    name: String(form.get("name") ?? ""),
    scopes: form.getAll("scopes").map(String),
    expiresInDays: String(form.get("expiresInDays") ?? ""),
  };
  let token: string | undefined;
  const state = await safely(async () => {
    const result = await issueOwnToken(await currentActor(), values);
    if (!result.ok) return toFormState(result, values);
    token = result.value.token;
    revalidatePath("/account/tokens");
    return { ok: true, message: result.value.message };
  });
  // The token travels back to this form once and is never stored or put in a URL.
  return token ? { ...state, token } : state;
}

export async function revokeTokenAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await revokeToken(await currentActor(), { tokenId: form.get("tokenId") });
    if (result.ok) revalidatePath("/account/tokens");
    return toFormState(result);
  });
}
