/**
 * Days after implementation within which the post-implementation review is due (for an emergency
 * change, its retrospective review). One number for the notifications, the metrics and the
 * auditors' exception report.
 */
export const REVIEW_DEADLINE_DAYS = 5;
