import "server-only";
import { decode, encode, type JWT } from "next-auth/jwt";
import { sessionIsLive, sessionTimesOf, type SessionTimes } from "@/lib/domain/session-lifetime";
import { env } from "../env";
import { sessionLimits } from "./session-limits";

// The session cookie as next-auth 4 writes it. next-auth re-issues it only from its own
// /api/auth/session endpoint (getServerSession cannot set cookies in pages), so the places that
// must renew or replace a session (proxy.ts for the idle timeout, the password change) do it here.

export type SessionCookie = {
  name: string;
  value: string;
  options: { httpOnly: true; sameSite: "lax"; path: "/"; secure: boolean; expires: Date };
};

export function sessionCookieName(): string {
  return `${secureCookies() ? "__Secure-" : ""}next-auth.session-token`;
}

function secureCookies(): boolean {
  return env().NEXTAUTH_URL.startsWith("https://");
}

/** The live session token in a cookie value, or null (missing, forged, expired, idle, too old). */
export async function readSessionToken(value: string | undefined): Promise<(JWT & SessionTimes) | null> {
  if (!value) return null;
  try {
    const token = await decode({ token: value, secret: env().AUTH_SECRET });
    const times = token ? sessionTimesOf(token) : null;
    if (!token?.sub || !sessionIsLive(times, sessionLimits(), nowSeconds())) return null;
    return { ...token, ...times };
  } catch {
    return null;
  }
}

/** The cookie that carries `token`, expiring when the session's absolute lifetime ends. */
export async function sessionCookie(token: JWT & SessionTimes): Promise<SessionCookie> {
  const limits = sessionLimits();
  const value = await encode({ token, secret: env().AUTH_SECRET, maxAge: limits.maxHours * 3600 });
  const expires = new Date((token.signedInAt + limits.maxHours * 3600) * 1000);
  return { name: sessionCookieName(), value, options: { httpOnly: true, sameSite: "lax", path: "/", secure: secureCookies(), expires } };
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A cookie that replaces the session's with an expired, empty one. */
export function clearedSessionCookie(): SessionCookie {
  return {
    name: sessionCookieName(),
    value: "",
    options: { httpOnly: true, sameSite: "lax", path: "/", secure: secureCookies(), expires: new Date(0) },
  };
}
