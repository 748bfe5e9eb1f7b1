"use client";

import { useActionState, useState } from "react";
import { DateTimeField } from "@/components/ui/date-time-field";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextArea } from "@/components/ui/text-area";
import { SelectField } from "@/components/cis/select-field";
import { FREEZE_SCOPE_LABELS, FREEZE_SCOPES } from "@/lib/domain/schedule-windows";
import type { FormAction } from "@/lib/domain/form-state";

export type FreezeFormValues = { startsAt: string; endsAt: string; reason: string; scope: string; environments: string; tags: string };
const EMPTY: FreezeFormValues = { startsAt: "", endsAt: "", reason: "", scope: "all", environments: "", tags: "" };

/** Creates a freeze window, or edits one (an edit carries the updatedAt it was rendered with). */
export function FreezeForm({
  action,
  initial = EMPTY,
  edit,
}: {
  action: FormAction;
  initial?: FreezeFormValues;
  edit?: { id: string; updatedAt: string };
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  const v = (state.ok ? initial : { ...initial, ...state.values }) as FreezeFormValues;
  const e = state.fieldErrors ?? {};
  // Which field shows follows the choice; the select itself stays uncontrolled (a controlled one is reset by React after the action).
  const [scope, setScope] = useState(v.scope);
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      {edit ? (
        <>
          <input type="hidden" name="id" value={edit.id} />
          <input type="hidden" name="updatedAt" value={edit.updatedAt} />
        </>
      ) : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <DateTimeField label="Starts" name="startsAt" defaultValue={v.startsAt} error={e.startsAt} />
        <DateTimeField label="Ends" name="endsAt" defaultValue={v.endsAt} error={e.endsAt} />
      </div>
      <TextArea
        label="Reason"
        name="reason"
        defaultValue={v.reason}
        error={e.reason}
        rows={2}
        hint="Shown to everyone whose change it blocks, e.g. Year-end trading peak."
      />
      <SelectField
        label="Covers"
        name="scope"
        options={FREEZE_SCOPES.map((s) => ({ value: s, label: FREEZE_SCOPE_LABELS[s] }))}
        defaultValue={v.scope}
        onChange={(ev) => setScope(ev.target.value)}
        error={e.scope}
      />
      {scope === "environments" ? (
        <Field
          label="Environments"
          name="environments"
          defaultValue={v.environments}
          error={e.environments}
          hint="Separated by commas, e.g. production, disaster-recovery."
          autoComplete="off"
        />
      ) : null}
      {scope === "tags" ? (
        <Field
          label="CI tags"
          name="tags"
          defaultValue={v.tags}
          error={e.tags}
          hint="Separated by commas, e.g. pci, hipaa. Covers every CI with one of them."
          autoComplete="off"
        />
      ) : null}
      <SubmitButton pendingLabel="Saving…">{edit ? "Save freeze window" : "Create freeze window"}</SubmitButton>
    </form>
  );
}
