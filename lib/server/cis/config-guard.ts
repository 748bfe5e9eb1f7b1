import "server-only";
import type { Result } from "@/lib/domain/result";
import type { Actor } from "../auth/current-actor";
import { refuseUnlessCan } from "../auth/refuse-unless-can";

/** Every configuration use case starts here: the role is checked on the server, never only in the UI. */
export function refuseUnlessConfigManager(actor: Actor | null, what: string): Promise<Result<never> | null> {
  return refuseUnlessCan(actor, "config.manage", what, "Only an admin can manage configuration items and templates.");
}
