import "server-only";
import { isTemplateApprover } from "@/lib/domain/template-rules";
import { type Actor, requireActor, requirePage } from "../auth/current-actor";

/**
 * For the template list and detail pages: change managers approve templates too, so they may
 * read them; everyone else needs what the navigation names for /admin/templates (a 403 otherwise).
 */
export async function requireTemplatePage(): Promise<Actor> {
  const actor = await requireActor();
  if (isTemplateApprover(actor.roles)) return actor;
  return requirePage("/admin/templates");
}
