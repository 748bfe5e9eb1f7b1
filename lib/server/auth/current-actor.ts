import "server-only";
import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { can, type Capability } from "@/lib/domain/capabilities";
import { navItem } from "@/lib/domain/navigation";
import { REQUESTED_PATH_HEADER, signInAddress } from "@/lib/domain/sign-in-address";
import type { Role } from "@/lib/domain/roles";
import type { AuthenticationRecord, AuthMethod } from "@/lib/domain/step-up";
import type { AccountKind } from "@/lib/domain/segregation-of-duties";
import { isUuid } from "@/lib/domain/is-uuid";
import { lastSeenIsStale, type SessionEndReason } from "@/lib/domain/user-sessions";
import { recordDenial } from "../audit/record-denial";
import { db } from "../db/db";
import { requestMetadataOf, type RequestMetadata } from "../http/request-metadata";
import { authOptions } from "./auth-options";
import { touchUserSession } from "./user-session-rows";

/**
 * Who acts, as the database has them now, and the request they act through: use cases take it as
 * their argument and never read the request themselves. Scripts and tests build it without one.
 */
export type Actor = {
  id: string;
  email: string;
  name: string;
  roles: Role[];
  mustChangePassword: boolean;
  kind: AccountKind;
  request?: RequestMetadata;
  /** How and when the session last authenticated (the JWT's amr and authAt), for step-up (step-up.ts). */
  signIn?: { method: AuthMethod; at: number };
  /** Set by the step-up guard on sensitive actions: their audit events record it. */
  authentication?: AuthenticationRecord;
  /** The signed-in session (user_sessions) the request came through, when it came through one. */
  sessionId?: string;
};

// THE SESSION GATE. Every page, server action and route handler gets its user from this file:
// - a session whose token is idle or too old is empty (auth-options.ts, jwt callback);
// - a session whose row (user_sessions, the token's `sid`) is ended or missing has no actor: a
//   token from before session rows has no `sid` and counts as ended, so its user signs in again;
// - a session older than the user's session version (password changed or reset, deactivated,
//   "sign out everywhere") or of a deactivated user has no actor (readSession below);
// - a user with a temporary password gets no actor in server actions and route handlers, only
//   in the password change (currentActor below), and pages redirect them.
// In server actions and route handlers each refusal is recorded as an authorization.denied event.

export const TEMPORARY_PASSWORD_REFUSAL = "Your account has a temporary password: choose your own before you do anything else.";
export const ENDED_SESSION_REFUSAL =
  "The session has ended: the account was deactivated, its password changed, or the session was signed out or ended by an admin.";

type SessionRow = { endedAt: Date | null; endReason: SessionEndReason | null; lastSeenAt: Date };
type SessionUser = Actor & { active: boolean; sessionVersion: number; sessions?: SessionRow[] };

// The session's row comes in the same statement as the user (relationJoins): no extra round trip.
async function loadUser(userId: string, sessionId?: string): Promise<SessionUser | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: {
      id: true,
      email: true,
      name: true,
      active: true,
      mustChangePassword: true,
      sessionVersion: true,
      kind: true,
      roles: { select: { role: true } },
      ...(sessionId ? { sessions: { where: { id: sessionId }, select: { endedAt: true, endReason: true, lastSeenAt: true } } } : {}),
    },
  });
  if (!user) return null;
  const { roles, ...rest } = user;
  return { ...rest, roles: roles.map((r) => r.role) };
}

const actorOf = ({ id, email, name, roles, mustChangePassword, kind }: SessionUser): Actor => ({
  id,
  email,
  name,
  roles,
  mustChangePassword,
  kind,
});

/** The user as the database has them now, when active: a deactivated user or a removed role counts at once. */
export async function loadActor(userId: string): Promise<Actor | null> {
  const user = await loadUser(userId);
  return user?.active ? actorOf(user) : null;
}

type SessionRead = { actor: Actor } | { ended: Pick<Actor, "id" | "email" | "request">; reason: SessionEndReason | null } | null;

// This file alone in lib/server reads next/headers (eslint.config.mjs); a script or a test has no request.
async function requestMetadata(): Promise<{ request?: RequestMetadata }> {
  try {
    return { request: requestMetadataOf(await headers()) };
  } catch {
    return {};
  }
}

// Memoised per request: a page and its components share one database read.
const readSession = cache(async (): Promise<SessionRead> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  if (!id) return null;
  const sid = session.user.sessionId;
  const sessionId = sid && isUuid(sid) ? sid : undefined;
  const user = await loadUser(id, sessionId);
  if (!user) return null;
  const request = await requestMetadata();
  const row = user.sessions?.[0];
  // A token without a version predates session versions; it counts as version 0, which no user has.
  if (!user.active || user.sessionVersion !== (session.user.sessionVersion ?? 0) || !row || row.endedAt)
    return { ended: { id: user.id, email: user.email, ...request }, reason: row?.endReason ?? (user.active ? null : "deactivated") };
  const now = new Date();
  if (sessionId && lastSeenIsStale(row.lastSeenAt, now)) await touchUserSession(sessionId, now);
  const { authAt, amr } = session.user;
  const signIn = typeof authAt === "number" ? { signIn: { method: amr ?? "password", at: authAt } } : {};
  return { actor: { ...actorOf(user), ...request, sessionId, ...signIn } };
});

// One denial per request and reason, however many times the request asks.
const refuse = cache(async (who: Pick<Actor, "id" | "email" | "request">, what: string, reason: string): Promise<null> => {
  await recordDenial(who, what, reason);
  return null;
});

/**
 * For server actions and route handlers: the signed-in actor, or null (the use cases refuse
 * null). A temporary-password session is refused unless `allowPasswordChange` (the password
 * change itself); so is an ended session. Both refusals are recorded.
 */
export async function currentActor(options: { allowPasswordChange?: boolean } = {}): Promise<Actor | null> {
  const read = await readSession();
  if (!read) return null;
  if ("ended" in read) return refuse(read.ended, "session:ended", ENDED_SESSION_REFUSAL);
  if (read.actor.mustChangePassword && !options.allowPasswordChange)
    return refuse(read.actor, "session:temporary-password", TEMPORARY_PASSWORD_REFUSAL);
  return read.actor;
}

async function sessionActor(): Promise<Actor | null> {
  const read = await readSession();
  return read && "actor" in read ? read.actor : null;
}

/** Why the request's session ended, for the sign-in page's message; "ended" when the row does not say. */
async function endedReason(): Promise<string | undefined> {
  const read = await readSession();
  return read && "ended" in read ? (read.reason ?? "ended") : undefined;
}

/**
 * For pages: the signed-in actor, or a redirect to sign-in that returns to the page asked for
 * (or to the forced password change).
 */
export async function requireActor(options: { allowPasswordChange?: boolean } = {}): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect(signInAddress((await headers()).get(REQUESTED_PATH_HEADER), await endedReason()));
  if (actor.mustChangePassword && !options.allowPasswordChange) redirect("/account/password");
  return actor;
}

/** For the sign-in page: whether a session is already live, whatever its password state. */
export async function hasLiveSession(): Promise<boolean> {
  return (await sessionActor()) !== null;
}

/** For pages: the actor when they hold the capability; otherwise the 403 page. */
export async function requireCapability(capability: Capability): Promise<Actor> {
  const actor = await requireActor();
  if (!can(actor.roles, capability)) {
    await recordDenial(actor, `page:${capability}`, "The user's roles do not grant this page.");
    forbidden();
  }
  return actor;
}

/** For pages listed in the navigation: the guard is the capability the navigation names. */
export async function requirePage(href: string): Promise<Actor> {
  const { capability } = navItem(href);
  return capability ? requireCapability(capability) : requireActor();
}
