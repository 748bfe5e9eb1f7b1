"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { currentActor } from "@/lib/server/auth/current-actor";
import { clearedSessionCookie, readSessionToken, sessionCookie, sessionCookieName, nowSeconds } from "@/lib/server/auth/session-cookie";
import { safely, toFormState, type FormState } from "@/lib/server/actions/form-state";
import { endAllSessions } from "@/lib/server/users/end-sessions";
import { changeOwnPassword } from "@/lib/server/users/set-password";

export async function changePasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  const input = {
    currentPassword: String(form.get("currentPassword") ?? ""),
    newPassword: String(form.get("newPassword") ?? ""),
    confirmPassword: String(form.get("confirmPassword") ?? ""),
  };
  let changed = false;
  const state = await safely(async () => {
    const result = await changeOwnPassword(await currentActor({ allowPasswordChange: true }), input);
    if (result.ok) {
      changed = true;
      await keepThisSession(result.value.sessionVersion);
    }
    return toFormState(result);
  });
  if (changed) redirect("/?password=changed");
  return state;
}

/** The change ended every session of the user's; the one that changed the password goes on under the new version. */
async function keepThisSession(sessionVersion: number) {
  const jar = await cookies();
  const token = await readSessionToken(jar.get(sessionCookieName())?.value);
  if (!token) return;
  const cookie = await sessionCookie({ ...token, sv: sessionVersion, lastSeenAt: nowSeconds() });
  jar.set(cookie.name, cookie.value, cookie.options);
}

export async function signOutEverywhereAction(): Promise<FormState> {
  let ended = false;
  const state = await safely(async () => {
    const result = await endAllSessions(await currentActor());
    ended = result.ok;
    return toFormState(result);
  });
  if (!ended) return state;
  // The session's version is already stale; clearing the cookie just spares the next request the check.
  const cleared = clearedSessionCookie();
  (await cookies()).set(cleared.name, cleared.value, cleared.options);
  redirect("/signin");
}
