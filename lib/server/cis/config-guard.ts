import "server-only";
import { can } from "@/lib/domain/capabilities";
import { refuse, type Result } from "@/lib/domain/result";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "../auth/current-actor";

/** Every configuration use case starts here: the role is checked on the server, never only in the UI. */
export async function refuseUnlessConfigManager(actor: Actor | null, what: string): Promise<Result<never> | null> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  if (can(actor.roles, "config.manage")) return null;
  const message = "Only an admin can manage configuration items and templates.";
  await recordDenial(actor, what, message);
  return refuse(message);
}
