import "server-only";
import { can, type Capability } from "@/lib/domain/capabilities";
import { refuse, type Result } from "@/lib/domain/result";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "./current-actor";

/** The actor, when signed in and holding the capability; otherwise a refusal (recorded). */
export async function refuseUnlessCan(
  actor: Actor | null,
  capability: Capability,
  what: string,
  message: string,
): Promise<Result<never> | null> {
  if (!actor) return refuse("Your session has ended. Sign in again.");
  if (can(actor.roles, capability)) return null;
  await recordDenial(actor, what, message);
  return refuse(message);
}
