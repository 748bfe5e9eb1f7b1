import "server-only";
import { z } from "zod";
import { safeParseInput } from "@/lib/domain/parse-input";
import { ok, refuse, type Result } from "@/lib/domain/result";
import { deviceLabel, sessionRowIsLive, type SessionEndReason, type SignInMethod } from "@/lib/domain/user-sessions";
import { appendAuditEvent } from "../audit/append-audit-event";
import type { Actor } from "../auth/current-actor";
import { sessionLimits } from "../auth/session-limits";
import { endUserSessions } from "../auth/user-session-rows";
import { refuseReadUnlessCan } from "../auth/viewer-read";
import { db } from "../db/db";
import { inTransaction, type Tx } from "../db/transaction";
import { refuseUnlessAdmin } from "./admin-guard";

export type SessionView = {
  id: string;
  device: string;
  userAgent: string | null;
  clientAddress: string | null;
  method: SignInMethod;
  createdAt: Date;
  lastSeenAt: Date;
  current: boolean;
};

async function liveSessionsOf(userId: string, currentId: string | undefined): Promise<SessionView[]> {
  const now = new Date();
  const rows = await db().userSession.findMany({
    where: { userId, endedAt: null },
    orderBy: [{ lastSeenAt: "desc" }, { id: "asc" }],
    take: 200,
  });
  return rows
    .filter((row) => sessionRowIsLive(row, sessionLimits(), now))
    .map((row) => ({
      id: row.id,
      device: deviceLabel(row.userAgent),
      userAgent: row.userAgent,
      clientAddress: row.clientAddress,
      method: row.method === "sso" ? "sso" : "password",
      createdAt: row.createdAt,
      lastSeenAt: row.lastSeenAt,
      current: row.id === currentId,
    }));
}

/** "Your sessions": where the actor is signed in now, this session included and marked. */
export function listOwnSessions(actor: Actor): Promise<SessionView[]> {
  return liveSessionsOf(actor.id, actor.sessionId);
}

/** An admin's view of a user's live sessions (403 for anyone else). */
export async function listSessionsOf(viewer: Actor, userId: string): Promise<SessionView[]> {
  await refuseReadUnlessCan(viewer, "users.manage");
  return liveSessionsOf(userId, viewer.id === userId ? viewer.sessionId : undefined);
}

async function recordEnded(tx: Tx, actor: Actor, userId: string, reason: SessionEndReason, sessions: string[]) {
  await appendAuditEvent(tx, {
    actor,
    action: "session.ended",
    entityType: "user",
    entityId: userId,
    after: { reason, sessions, endedBy: actor.email },
  });
}

const oneSchema = z.object({ sessionId: z.string().uuid("Unknown session.") });
const sessionsWord = (n: number) => (n === 1 ? "1 session" : `${n} sessions`);

/** Signs out one of the actor's other sessions; the current one is signed out with the normal sign-out. */
export async function endOwnSession(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  const parsed = safeParseInput(oneSchema, input);
  if (!parsed.success) return refuse("That session was not found.");
  const { sessionId } = parsed.data;
  if (sessionId === actor.sessionId) return refuse("That is this session: use Sign out to end it.");
  return inTransaction(async (tx) => {
    const ended = await endUserSessions(tx, actor.id, { reason: "ended_by_user", endedById: actor.id }, { only: [sessionId] });
    if (ended.length === 0) return refuse("That session has already ended.");
    await recordEnded(tx, actor, actor.id, "ended_by_user", ended);
    return ok({ message: "That session is signed out." });
  });
}

/** Signs out every session of the actor's but this one. */
export async function endOtherOwnSessions(actor: Actor | null): Promise<Result<{ message: string }>> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  return inTransaction(async (tx) => {
    const ended = await endUserSessions(tx, actor.id, { reason: "ended_by_user", endedById: actor.id }, { except: actor.sessionId });
    if (ended.length === 0) return ok({ message: "You had no other sessions." });
    await recordEnded(tx, actor, actor.id, "ended_by_user", ended);
    return ok({ message: `${sessionsWord(ended.length)} signed out. This one goes on.` });
  });
}

const adminSchema = z.object({ userId: z.string().uuid("Unknown user."), sessionId: z.string().uuid("Unknown session.").optional() });

/** An admin ends one session of a user's, or all of them; the user is told why at their next request. */
export async function endSessionsAsAdmin(actor: Actor | null, input: unknown): Promise<Result<{ message: string }>> {
  const refused = await refuseUnlessAdmin(actor, "users.sessions");
  if (refused) return refused;
  const parsed = safeParseInput(adminSchema, input);
  if (!parsed.success) return refuse("That request was not understood.");
  const { userId, sessionId } = parsed.data;
  if (userId === actor!.id) return refuse("End your own sessions from Your sessions (Account).");
  return inTransaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true } });
    if (!user) return refuse("That user no longer exists.");
    const ended = await endUserSessions(
      tx,
      userId,
      { reason: "ended_by_admin", endedById: actor!.id },
      sessionId ? { only: [sessionId] } : {},
    );
    if (ended.length === 0) return ok({ message: sessionId ? "That session has already ended." : `${user.name} had no live sessions.` });
    await recordEnded(tx, actor!, userId, "ended_by_admin", ended);
    return ok({ message: `${sessionsWord(ended.length)} of ${user.name}'s ended. They are signed out at their next request.` });
  });
}
