import { REVIEW_DEADLINE_DAYS, retrospectiveReviewStatus } from "@/lib/domain/review-deadline";
import { formatUtc } from "@/lib/domain/utc-time";

type Props = { change: { type: string; state: string; implementedAt: Date | null; review: { reviewedAt: Date } | null }; now: Date };

/** An emergency change's retrospective-review deadline, where everyone who opens the change sees it. */
export function ReviewDeadlineNotice({ change, now }: Props) {
  const status = retrospectiveReviewStatus({ ...change, reviewedAt: change.review?.reviewedAt ?? null }, now);
  if (!status) return null;
  const tone =
    status.kind === "due" && status.overdue ? "bg-rose-50 text-rose-900 ring-rose-200" : "bg-amber-50 text-amber-900 ring-amber-200";
  let text: string;
  switch (status.kind) {
    case "after_outcome":
      text = `Retrospective review due ${REVIEW_DEADLINE_DAYS} days after the outcome is recorded: security validation (log review, access-rights audit) and the root cause.`;
      break;
    case "due":
      text = status.overdue
        ? `Retrospective review overdue: it was due by ${formatUtc(status.deadline)}. Record the security validation and root cause, and close the change.`
        : `Retrospective review due by ${formatUtc(status.deadline)}: security validation (log review, access-rights audit) and the root cause.`;
      break;
    case "reviewed":
      text = `Retrospective review recorded ${formatUtc(status.reviewedAt)}${status.late ? `, after its deadline of ${formatUtc(status.deadline)}` : `, within its deadline of ${formatUtc(status.deadline)}`}.`;
      break;
  }
  return (
    <p data-testid="review-deadline" className={`mb-6 rounded-md px-3 py-2 text-sm ring-1 ${tone}`}>
      {text}
    </p>
  );
}
