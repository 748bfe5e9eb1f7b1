import "server-only";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { cache } from "react";
import { can, type Capability } from "@/lib/domain/capabilities";
import { navItem } from "@/lib/domain/navigation";
import type { Role } from "@/lib/domain/roles";
import { recordDenial } from "../audit/record-denial";
import { db } from "../db/db";
import { authOptions } from "./auth-options";

export type Actor = { id: string; email: string; name: string; roles: Role[]; mustChangePassword: boolean };

// THE SESSION GATE. Every page, server action and route handler gets its user from this file:
// - a session whose token is idle or too old is empty (auth-options.ts, jwt callback);
// - a session older than the user's session version (password changed or reset, deactivated,
//   "sign out everywhere") or of a deactivated user has no actor (sessionActor below);
// - a user with a temporary password gets no actor in server actions and route handlers, only
//   in the password change (currentActor below, recorded as a denial), and pages redirect them.

export const TEMPORARY_PASSWORD_REFUSAL = "Your account has a temporary password: choose your own before you do anything else.";

/** The user as the database has them now, when active and the session is of their current version. */
export async function loadActor(userId: string, sessionVersion?: number): Promise<Actor | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, active: true, mustChangePassword: true, sessionVersion: true, roles: { select: { role: true } } },
  });
  if (!user?.active) return null;
  if (sessionVersion !== undefined && sessionVersion !== user.sessionVersion) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    mustChangePassword: user.mustChangePassword,
    roles: user.roles.map((r) => r.role),
  };
}

// Memoised per request: a page and its components share one database read.
const sessionActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  // A token without a version predates session versions; it counts as version 0, which no user has.
  return id ? loadActor(id, session.user.sessionVersion ?? 0) : null;
});

// One denial per request, however many times the request asks.
const refuseTemporaryPassword = cache(async (actor: Actor): Promise<null> => {
  await recordDenial(actor, "session:temporary-password", TEMPORARY_PASSWORD_REFUSAL);
  return null;
});

/**
 * For server actions and route handlers: the signed-in actor, or null (the use cases refuse
 * null). A temporary-password session is refused unless `allowPasswordChange` (the password
 * change itself).
 */
export async function currentActor(options: { allowPasswordChange?: boolean } = {}): Promise<Actor | null> {
  const actor = await sessionActor();
  if (actor?.mustChangePassword && !options.allowPasswordChange) return refuseTemporaryPassword(actor);
  return actor;
}

/** For pages: the signed-in actor, or a redirect to sign-in (or to the forced password change). */
export async function requireActor(options: { allowPasswordChange?: boolean } = {}): Promise<Actor> {
  const actor = await sessionActor();
  if (!actor) redirect("/signin");
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
