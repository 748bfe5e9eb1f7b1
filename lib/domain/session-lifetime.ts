// When a signed-in session ends: after a stretch without requests (idle) or a fixed time after
// sign-in (absolute), whichever comes first. Times are Unix seconds, as in a JWT.

export type SessionTimes = { signedInAt: number; lastSeenAt: number };
export type SessionLimits = { idleMinutes: number; maxHours: number };

/** How stale the last-seen time may get before a request re-issues the cookie with a fresh one. */
export const TOUCH_AFTER_SECONDS = 60;

/** The token's claims at sign-in: who, which of their session versions, and when; how they authenticated and when (step-up.ts). */
export function signedInClaims(userId: string, sessionVersion: number, now: number, amr: string = "password") {
  return { sub: userId, sv: sessionVersion, signedInAt: now, lastSeenAt: now, authAt: now, amr };
}

export function sessionTimesOf(claims: Record<string, unknown>): SessionTimes | null {
  const { signedInAt, lastSeenAt } = claims;
  if (typeof signedInAt !== "number" || typeof lastSeenAt !== "number") return null;
  if (!Number.isFinite(signedInAt) || !Number.isFinite(lastSeenAt) || lastSeenAt < signedInAt) return null;
  return { signedInAt, lastSeenAt };
}

/** The Unix second at which the session ends. */
export function sessionEndsAt(times: SessionTimes, limits: SessionLimits): number {
  return Math.min(times.lastSeenAt + limits.idleMinutes * 60, times.signedInAt + limits.maxHours * 3600);
}

export function sessionIsLive(times: SessionTimes | null, limits: SessionLimits, now: number): times is SessionTimes {
  return times !== null && times.signedInAt <= now + TOUCH_AFTER_SECONDS && now < sessionEndsAt(times, limits);
}

/** Whether this request should re-issue the cookie with `lastSeenAt = now`. */
export function shouldTouch(times: SessionTimes, now: number): boolean {
  return now - times.lastSeenAt >= TOUCH_AFTER_SECONDS;
}
