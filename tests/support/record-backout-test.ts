import type { Actor } from "@/lib/server/auth/current-actor";
import { changeDraftFields } from "@/lib/server/changes/change-form-values";
import { changeFormInitial } from "@/lib/server/changes/change-form-initial";
import { getChangeForViewer } from "@/lib/server/changes/get-change";
import { updateChangeDraft } from "@/lib/server/changes/save-change-draft";

/**
 * A change manager records the backout test during assessment, through the edit use case: only a
 * test recorded by someone other than the requester counts for the risk (backoutTestCounts).
 */
export async function recordBackoutTest(manager: Actor, changeId: string) {
  const change = await getChangeForViewer(manager, changeId);
  if (!change || typeof change !== "object") throw new Error(`no change ${changeId} for the manager`);
  const current = changeFormInitial(change);
  const done = await updateChangeDraft(manager, { ...changeDraftFields(current.values), backoutTestRecorded: true, changeId });
  if (!done.ok) throw new Error(done.message);
}
