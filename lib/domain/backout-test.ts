// Whether a change's backout counts as tested (issue 32's release practices): the requester's own
// "backout tested" box is their statement; only a test recorded by someone else counts.

export type BackoutTestFacts = { requesterId: string; backoutTestedById: string | null };

/** True when someone other than the requester recorded that the backout was tested. */
export function backoutTestCounts(change: BackoutTestFacts): boolean {
  return change.backoutTestedById !== null && change.backoutTestedById !== change.requesterId;
}
