import "server-only";
import type { NextRequest, NextResponse } from "next/server";
import { shouldTouch } from "@/lib/domain/session-lifetime";
import { nowSeconds, readSessionToken, sessionCookie, sessionCookieName } from "./session-cookie";

/**
 * The idle timeout counts from the last request, so each request (at most once a minute) renews
 * the cookie's last-seen time. A session that has ended is left as it is: the jwt callback reads
 * it as signed out.
 */
export async function renewSession(request: NextRequest, response: NextResponse): Promise<void> {
  // The account page's actions replace or clear the session cookie themselves; a renewal in the same response could undo that.
  if (request.method !== "GET" && request.nextUrl.pathname.startsWith("/account/")) return;
  const token = await readSessionToken(request.cookies.get(sessionCookieName())?.value);
  const now = nowSeconds();
  if (!token || !shouldTouch(token, now)) return;
  const cookie = await sessionCookie({ ...token, lastSeenAt: now });
  response.cookies.set(cookie.name, cookie.value, cookie.options);
}
