import { Section } from "@/components/ui/section";
import type { FormState } from "@/lib/server/actions/form-state";
import type { ChangeDetail } from "@/lib/server/changes/get-change";
import { StepForm, StepTextArea } from "./step-form";

type Action = (state: FormState, form: FormData) => Promise<FormState>;

/** Questions and answers between the requester and the reviewers. */
export function CommentsPanel({ change, commentAction }: { change: ChangeDetail; commentAction: Action }) {
  return (
    <Section title="Comments">
      {change.comments.length === 0 ? <p className="text-sm text-slate-500">No comments yet.</p> : (
        <ul className="mb-4 space-y-3 text-sm">
          {change.comments.map((c) => (
            <li key={c.id}>
              <p><span className="font-medium">{c.author.name}</span> <span className="text-slate-500">· {c.createdAt.toISOString().replace("T", " ").slice(0, 16)} UTC</span></p>
              <p className="whitespace-pre-wrap text-slate-800">{c.body}</p>
            </li>
          ))}
        </ul>
      )}
      <StepForm action={commentAction} hidden={{ changeId: change.id }} submitLabel="Add comment" variant="secondary">
        <StepTextArea name="body" label="Comment" rows={3} />
      </StepForm>
    </Section>
  );
}
