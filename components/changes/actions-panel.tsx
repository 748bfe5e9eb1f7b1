import { Section } from "@/components/ui/section";
import { availableActions } from "@/lib/domain/available-actions";
import type { ChangeAction } from "@/lib/domain/change-actions";
import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import { decideAssignImplementer } from "@/lib/domain/decide-assign-implementer";
import { IMPLEMENTATION_OUTCOME_LABELS, IMPLEMENTATION_OUTCOMES } from "@/lib/domain/implementation-outcomes";
import { outsideWindowSituation } from "@/lib/domain/implementation-window";
import type { FormAction } from "@/lib/domain/form-state";
import { StepCheckbox, StepForm, StepSelect, StepTextArea } from "./step-form";

const NEEDS_REASON: readonly ChangeAction[] = ["reject", "return_for_rework", "cancel", "withdraw"];
const DANGER: readonly ChangeAction[] = ["reject", "cancel", "withdraw"];

function ActionFields({ action, facts, outsideWindow }: { action: ChangeAction; facts: ChangeFacts; outsideWindow: string | null }) {
  if (NEEDS_REASON.includes(action))
    return <StepTextArea name="reason" label="Reason" hint="Kept in the audit log and shown to the requester." />;
  if (action === "start_implementation" && outsideWindow) {
    return (
      <>
        <p className="rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200">
          {outsideWindow} Confirm by giving the reason.
        </p>
        <StepTextArea
          name="reason"
          label="Reason for starting outside the window"
          hint="Kept in the audit log; the out-of-window report lists it."
        />
      </>
    );
  }
  if (action === "record_outcome") {
    return (
      <>
        <StepSelect
          name="outcome"
          label="Outcome"
          placeholder="Choose the outcome…"
          options={IMPLEMENTATION_OUTCOMES.map((o) => ({ value: o, label: IMPLEMENTATION_OUTCOME_LABELS[o] }))}
        />
        <StepTextArea name="outcomeNotes" label="Notes and evidence" />
      </>
    );
  }
  if (action === "close") {
    return (
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Post-implementation review</legend>
        <StepCheckbox name="worksAsIntended" label="Works as intended" />
        <StepCheckbox name="securityControlsInPlace" label="Security controls still in place" />
        <StepCheckbox name="monitoringCovers" label="Monitoring covers the change" />
        <StepCheckbox name="documentationUpdated" label="Documentation updated" />
        {facts.type === "emergency" ? (
          <StepTextArea name="securityValidation" label="Security validation (log review, access-rights audit)" />
        ) : null}
        {facts.type === "emergency" || (facts.outcome && ["failed", "rolled_back"].includes(facts.outcome)) ? (
          <StepTextArea name="rootCause" label="Root cause" />
        ) : null}
        <StepTextArea name="notes" label="Review notes" />
      </fieldset>
    );
  }
  return null;
}

/** Exactly the actions the viewer may take now, and for the others of this step, why not. */
export function ActionsPanel({
  facts,
  version,
  actor,
  changeAction,
  assignAction,
  implementers,
}: {
  facts: ChangeFacts;
  version: number;
  actor: ActorFacts;
  changeAction: FormAction;
  assignAction: FormAction;
  implementers: { id: string; name: string }[];
}) {
  const now = new Date();
  const options = availableActions(facts, actor, now).filter((o) => o.fromHere);
  // Starting outside the approved window asks for a confirmation and its reason (the use case refuses it without one).
  const outsideWindow = outsideWindowSituation(facts, now);
  const allowed = options.filter((o) => o.decision.allowed);
  const refused = options.filter((o) => !o.decision.allowed);
  const canAssign = decideAssignImplementer(facts, actor, { id: "anyone", roles: ["implementer"] }, null).allowed;
  return (
    <Section title="What you can do">
      {allowed.length === 0 && !canAssign ? <p className="text-sm text-slate-600">Nothing is waiting on you here.</p> : null}
      <div className="space-y-5">
        {allowed.map((o) => {
          const form = (
            <StepForm
              key={o.action}
              action={changeAction}
              hidden={{ changeId: facts.id, version, action: o.action }}
              submitLabel={o.label}
              variant={DANGER.includes(o.action) ? "danger" : o.action === "return_for_rework" ? "secondary" : "primary"}
            >
              <ActionFields action={o.action} facts={facts} outsideWindow={outsideWindow} />
            </StepForm>
          );
          // Actions that ask for more than a click open on demand, so the panel stays readable.
          const asks =
            NEEDS_REASON.includes(o.action) ||
            o.action === "close" ||
            o.action === "record_outcome" ||
            (o.action === "start_implementation" && outsideWindow !== null);
          return asks ? (
            <details
              key={o.action}
              className="group rounded-md ring-1 ring-slate-200"
              open={o.action === "close" || o.action === "record_outcome"}
            >
              <summary className="cursor-pointer select-none px-3 py-2 text-sm font-medium text-slate-800">{o.label}…</summary>
              <div className="border-t border-slate-100 p-3">{form}</div>
            </details>
          ) : (
            form
          );
        })}
        {canAssign ? (
          <StepForm action={assignAction} hidden={{ changeId: facts.id, version }} submitLabel="Assign implementer" variant="secondary">
            <StepSelect name="implementerId" label="Implementer" options={implementers.map((u) => ({ value: u.id, label: u.name }))} />
          </StepForm>
        ) : null}
      </div>
      {refused.length ? (
        <div className="mt-5 border-t border-slate-100 pt-4">
          <h3 className="text-sm font-medium text-slate-700">Not possible for you now</h3>
          <ul className="mt-1 space-y-1.5 text-sm">
            {refused.map((o) => (
              <li key={o.action}>
                <span className="font-medium">{o.label}:</span>{" "}
                <span className="text-slate-600">{o.decision.allowed ? "" : o.decision.reasons.join(" ")}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </Section>
  );
}
