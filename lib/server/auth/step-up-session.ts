import "server-only";
import { cookies } from "next/headers";
import type { AuthMethod } from "@/lib/domain/step-up";
import { nowSeconds, readSessionToken, sessionCookie, sessionCookieName } from "./session-cookie";

/**
 * After a step-up: the session's cookie says the user authenticated now, and how, so the next
 * sensitive action within STEP_UP_MINUTES goes through. next-auth re-issues cookies only from
 * its own endpoint, so a server action replaces it here (session-cookie.ts).
 */
export async function renewSessionAuthentication(renewed: { authAt: number; amr: AuthMethod }): Promise<void> {
  const jar = await cookies();
  const token = await readSessionToken(jar.get(sessionCookieName())?.value);
  if (!token) return;
  const cookie = await sessionCookie({ ...token, authAt: renewed.authAt, amr: renewed.amr, lastSeenAt: nowSeconds() });
  jar.set(cookie.name, cookie.value, cookie.options);
}
