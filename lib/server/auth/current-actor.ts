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

/** The signed-in user as the database has them now: a deactivated user or a removed role counts at once. */
export async function loadActor(userId: string): Promise<Actor | null> {
  const user = await db().user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, name: true, active: true, mustChangePassword: true, roles: { select: { role: true } } },
  });
  if (!user?.active) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    mustChangePassword: user.mustChangePassword,
    roles: user.roles.map((r) => r.role),
  };
}

// Memoised per request: a page and its components share one database read.
export const currentActor = cache(async (): Promise<Actor | null> => {
  const session = await getServerSession(authOptions());
  const id = session?.user?.id;
  return id ? loadActor(id) : null;
});

/** For pages: the signed-in actor, or a redirect to sign-in (or to the forced password change). */
export async function requireActor(options: { allowPasswordChange?: boolean } = {}): Promise<Actor> {
  const actor = await currentActor();
  if (!actor) redirect("/signin");
  if (actor.mustChangePassword && !options.allowPasswordChange) redirect("/account/password");
  return actor;
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
