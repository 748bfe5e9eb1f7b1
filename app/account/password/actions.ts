"use server";

import { cookies } from "next/headers";
import { formAction, texts } from "@/lib/server/actions/form-action";
import { clearedSessionCookie, readSessionToken, sessionCookie, sessionCookieName, nowSeconds } from "@/lib/server/auth/session-cookie";
import { endAllSessions } from "@/lib/server/users/end-sessions";
import { changeOwnPassword } from "@/lib/server/users/set-password";

// Passwords are never sent back to the form.
export const changePasswordAction = formAction({
  allowPasswordChange: true,
  input: (form) => texts(form, ["currentPassword", "newPassword", "confirmPassword"]),
  run: changeOwnPassword,
  after: ({ sessionVersion }) => keepThisSession(sessionVersion),
  redirectTo: () => "/?password=changed",
});

/** The change ended every session of the user's; the one that changed the password goes on under the new version. */
async function keepThisSession(sessionVersion: number) {
  const jar = await cookies();
  const token = await readSessionToken(jar.get(sessionCookieName())?.value);
  if (!token) return;
  const cookie = await sessionCookie({ ...token, sv: sessionVersion, lastSeenAt: nowSeconds() });
  jar.set(cookie.name, cookie.value, cookie.options);
}

export const signOutEverywhereAction = formAction({
  input: () => ({}),
  run: (actor) => endAllSessions(actor),
  // The session's version is already stale; clearing the cookie just spares the next request the check.
  after: async () => {
    const cleared = clearedSessionCookie();
    (await cookies()).set(cleared.name, cleared.value, cleared.options);
  },
  redirectTo: () => "/signin",
});
