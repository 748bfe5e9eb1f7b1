/**
 * Days after implementation within which the post-implementation review is due (for an emergency
 * change, its retrospective review). One number for the notifications, the metrics and the
 * auditors' exception report.
 */
export const REVIEW_DEADLINE_DAYS = 5;

const DAY_MS = 86_400_000;

/** The day by which an emergency's retrospective review is due: REVIEW_DEADLINE_DAYS after its implementation. */
export function retrospectiveReviewDeadline(implementedAt: Date): Date {
  return new Date(implementedAt.getTime() + REVIEW_DEADLINE_DAYS * DAY_MS);
}

export type RetrospectiveReviewStatus =
  | { kind: "after_outcome" }
  | { kind: "due"; deadline: Date; overdue: boolean }
  | { kind: "reviewed"; deadline: Date; reviewedAt: Date; late: boolean };

/**
 * Where an emergency change stands against its retrospective review deadline; null for other
 * types, and for emergencies never implemented (draft, rejected, cancelled, still in authorization).
 */
export function retrospectiveReviewStatus(
  change: { type: string; state: string; implementedAt: Date | null; reviewedAt: Date | null },
  now: Date,
): RetrospectiveReviewStatus | null {
  if (change.type !== "emergency") return null;
  if (!change.implementedAt) return change.state === "implementing" ? { kind: "after_outcome" } : null;
  const deadline = retrospectiveReviewDeadline(change.implementedAt);
  if (change.reviewedAt)
    return { kind: "reviewed", deadline, reviewedAt: change.reviewedAt, late: change.reviewedAt.getTime() > deadline.getTime() };
  return { kind: "due", deadline, overdue: now.getTime() > deadline.getTime() };
}
