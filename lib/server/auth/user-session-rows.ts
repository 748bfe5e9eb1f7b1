import "server-only";
import {
  ENDED_SESSION_RETENTION_DAYS,
  sessionExpiredAt,
  truncatedUserAgent,
  type SessionEndReason,
  type SignInMethod,
} from "@/lib/domain/user-sessions";
import { isUuid } from "@/lib/domain/is-uuid";
import { db } from "../db/db";
import type { Tx } from "../db/transaction";
import { sessionLimits } from "./session-limits";

// The rows behind signed-in sessions (user_sessions). The token's `sid` names its row; the
// session gate (current-actor.ts) refuses a token whose row is ended or missing.

export type SessionStart = { userId: string; method: SignInMethod; clientAddress?: string | null; userAgent?: string | null };

/** At sign-in: the session's row, whose id becomes the token's `sid`. */
export async function startUserSession(start: SessionStart): Promise<string> {
  const row = await db().userSession.create({
    data: {
      userId: start.userId,
      method: start.method,
      clientAddress: start.clientAddress?.slice(0, 100) || null,
      userAgent: truncatedUserAgent(start.userAgent),
    },
    select: { id: true },
  });
  return row.id;
}

export type SessionEnd = { reason: SessionEndReason; endedById?: string | null };

/** Ends the user's unended sessions (all, or those named, or all but one), returning the ids it ended. */
export async function endUserSessions(
  tx: Tx,
  userId: string,
  end: SessionEnd,
  which: { only?: string[]; except?: string } = {},
): Promise<string[]> {
  const ended = await tx.userSession.updateManyAndReturn({
    where: {
      userId,
      endedAt: null,
      ...(which.only ? { id: { in: which.only.filter(isUuid) } } : {}),
      ...(which.except && isUuid(which.except) ? { NOT: { id: which.except } } : {}),
    },
    data: { endedAt: new Date(), endReason: end.reason, endedById: end.endedById ?? null },
    select: { id: true },
  });
  return ended.map((s) => s.id);
}

/** At the gate, at most once a minute per session: when it was last used. */
export async function touchUserSession(id: string, now: Date): Promise<void> {
  await db().userSession.updateMany({ where: { id, endedAt: null }, data: { lastSeenAt: now } });
}

/**
 * Nightly: records sessions past their idle or absolute limit as expired, then deletes sessions
 * that ended more than the retention period ago.
 */
export async function pruneUserSessions(now = new Date()): Promise<{ expired: number; deleted: number }> {
  const limits = sessionLimits();
  const idleBefore = new Date(now.getTime() - limits.idleMinutes * 60_000 - 60_000);
  const createdBefore = new Date(now.getTime() - limits.maxHours * 3_600_000);
  const stale = await db().userSession.findMany({
    where: { endedAt: null, OR: [{ lastSeenAt: { lt: idleBefore } }, { createdAt: { lt: createdBefore } }] },
    select: { id: true, createdAt: true, lastSeenAt: true },
  });
  for (const row of stale) {
    await db().userSession.updateMany({
      where: { id: row.id, endedAt: null },
      data: { endedAt: sessionExpiredAt({ ...row, endedAt: null }, limits), endReason: "expired" },
    });
  }
  const before = new Date(now.getTime() - ENDED_SESSION_RETENTION_DAYS * 86_400_000);
  const { count } = await db().userSession.deleteMany({ where: { endedAt: { lt: before } } });
  return { expired: stale.length, deleted: count };
}
