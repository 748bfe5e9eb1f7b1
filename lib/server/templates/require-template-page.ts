import "server-only";
import { can } from "@/lib/domain/capabilities";
import { type Actor, requireActor, requirePage } from "../auth/current-actor";

/**
 * For the template list and detail pages: change managers approve templates too, so they may
 * read them; everyone else needs what the navigation names for /admin/templates (a 403 otherwise).
 */
export async function requireTemplatePage(): Promise<Actor> {
  const actor = await requireActor();
  if (can(actor.roles, "change.manage")) return actor;
  return requirePage("/admin/templates");
}
