"use server";

import { revalidatePath } from "next/cache";
import type { TokenFormState } from "@/components/api-tokens/token-form";
import { currentActor } from "@/lib/server/auth/current-actor";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { createServiceAccount } from "@/lib/server/api-tokens/create-service-account";
import { issueServiceAccountToken } from "@/lib/server/api-tokens/issue-token";
import { revokeToken } from "@/lib/server/api-tokens/revoke-token";
import { setServiceAccountActive } from "@/lib/server/api-tokens/set-service-account-active";

// Thin adapters: read the form, call the use case (which checks that the caller is an admin), revalidate.

const PAGE = "/admin/service-accounts";

export async function createServiceAccountAction(_previous: FormState, form: FormData): Promise<FormState> {
  const values = { name: String(form.get("name") ?? ""), roles: form.getAll("roles").map(String) };
  return safely(async () => {
    const result = await createServiceAccount(await currentActor(), values);
    if (result.ok) revalidatePath(PAGE);
    return toFormState(result, values);
  });
}

export async function setServiceAccountActiveAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const input = { serviceAccountId: form.get("serviceAccountId"), active: form.get("active") === "true" };
    const result = await setServiceAccountActive(await currentActor(), input);
    if (result.ok) revalidatePath(PAGE);
    return toFormState(result);
  });
}

export async function issueServiceAccountTokenAction(_previous: TokenFormState, form: FormData): Promise<TokenFormState> {
  const values = {
    name: String(form.get("name") ?? ""),
    scopes: form.getAll("scopes").map(String),
    expiresInDays: String(form.get("expiresInDays") ?? ""),
  };
  let token: string | undefined;
  const state = await safely(async () => {
    const result = await issueServiceAccountToken(await currentActor(), { ...values, serviceAccountId: form.get("serviceAccountId") });
    if (!result.ok) return toFormState(result, values);
    token = result.value.token;
    revalidatePath(PAGE);
    return { ok: true, message: result.value.message };
  });
  // The token travels back to this form once and is never stored or put in a URL.
  return token ? { ...state, token } : state;
}

export async function revokeServiceAccountTokenAction(_previous: FormState, form: FormData): Promise<FormState> {
  return safely(async () => {
    const result = await revokeToken(await currentActor(), { tokenId: form.get("tokenId") });
    if (result.ok) revalidatePath(PAGE);
    return toFormState(result);
  });
}
