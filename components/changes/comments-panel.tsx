"use client";

// A client component fed plain data, though it has no state: the change page's largest static
// sections render once in SSR this way, instead of being serialized into the React payload and
// rendered again from it (docs/performance.md, change page).
import { Section } from "@/components/ui/section";
import type { FormAction } from "@/lib/domain/form-state";
import type { ChangeComment } from "@/lib/server/changes/list-change-comments";
import { HistoryPager } from "./history-pager";
import { StepForm, StepTextArea } from "./step-form";

/** Questions and answers between the requester and the reviewers: the latest page, oldest first. */
export function CommentsPanel({
  changeId,
  comments,
  earlierHref,
  latestHref,
  commentAction,
}: {
  changeId: string;
  comments: ChangeComment[];
  earlierHref: string | null;
  latestHref: string | null;
  commentAction: FormAction;
}) {
  return (
    <Section title="Comments">
      <HistoryPager what="comments" earlierHref={earlierHref} latestHref={latestHref} />
      {comments.length === 0 ? (
        <p className="mb-4 text-sm text-slate-500">No comments yet.</p>
      ) : (
        <ul className="mb-4 space-y-3 text-sm">
          {comments.map((c) => (
            <li key={c.id}>
              <p>
                <span className="font-medium">{c.author.name}</span>{" "}
                <span className="text-slate-500">· {c.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</span>
              </p>
              <p className="whitespace-pre-wrap text-slate-800">{c.body}</p>
            </li>
          ))}
        </ul>
      )}
      <StepForm action={commentAction} hidden={{ changeId }} submitLabel="Add comment" variant="secondary">
        <StepTextArea name="body" label="Comment" rows={3} />
      </StepForm>
    </Section>
  );
}
