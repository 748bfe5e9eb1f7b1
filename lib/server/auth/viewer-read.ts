import "server-only";
import { forbidden } from "next/navigation";
import { can, type Capability } from "@/lib/domain/capabilities";
import { recordDenial } from "../audit/record-denial";
import type { Actor } from "./current-actor";

/** What a read of one record answers for a record that exists but the viewer may not see (null: no such record). */
export const HIDDEN = "hidden";
export type ViewerRead<T> = T | null | typeof HIDDEN;

type Viewer = Pick<Actor, "id" | "email" | "roles">;

/**
 * For reads that only some roles may make at all (the audit log, the admin lists): unless `allowed`,
 * the 403 page, recorded as a denial of `read:<what>`. The page's own gate normally refuses first.
 */
export async function refuseReadUnless(viewer: Viewer, allowed: boolean, what: string): Promise<void> {
  if (allowed) return;
  await recordDenial(viewer, `read:${what}`, "The user's roles do not grant this read.");
  forbidden();
}

/** refuseReadUnless for a capability. */
export function refuseReadUnlessCan(viewer: Viewer, capability: Capability): Promise<void> {
  return refuseReadUnless(viewer, can(viewer.roles, capability), capability);
}
