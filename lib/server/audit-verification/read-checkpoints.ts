import "server-only";
import type { KeyRotation } from "@/lib/domain/key-history";
import { getCheckpoint, listCheckpoints, type StoredCheckpoint } from "../audit/checkpoints";
import { loadKeyRotations } from "../audit/key-history";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnlessCan } from "../auth/viewer-read";

// The verify page's and the checkpoint route's reads: the log's own code (lib/server/audit) reads checkpoints
// and key rotations unchecked to sign and verify; a reader gets them only through these.

/** Checkpoints, newest first, a page at a time; the 403 page for a viewer who may not read the audit history. */
export async function readCheckpoints(viewer: Actor, options: { beforeId?: number; limit?: number }): Promise<StoredCheckpoint[]> {
  await refuseReadUnlessCan(viewer, "audit.read");
  return listCheckpoints(options);
}

/** One checkpoint, or null; the 403 page for a viewer who may not read the audit history. */
export async function readCheckpoint(viewer: Actor, id: number): Promise<StoredCheckpoint | null> {
  await refuseReadUnlessCan(viewer, "audit.read");
  return getCheckpoint(id);
}

/** The signing key's rotations, in chain order; the 403 page for a viewer who may not read the audit history. */
export async function readKeyRotations(viewer: Actor): Promise<KeyRotation[]> {
  await refuseReadUnlessCan(viewer, "audit.read");
  return loadKeyRotations();
}
