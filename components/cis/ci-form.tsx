"use client";

import { useActionState } from "react";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { CRITICALITY_LABELS, SUGGESTED_CI_TYPES, SUGGESTED_ENVIRONMENTS } from "@/lib/domain/ci-rules";
import { EXPOSURE_LABELS, EXPOSURES } from "@/lib/domain/exposure";
import type { FormAction } from "@/lib/domain/form-state";
import { SelectField } from "./select-field";

export type CiFormValues = {
  name: string;
  type: string;
  environment: string;
  owner: string;
  criticality: string;
  exposure: string;
  tags: string;
};

const EMPTY: CiFormValues = { name: "", type: "", environment: "", owner: "", criticality: "", exposure: "", tags: "" };
const CRITICALITY_OPTIONS = [1, 2, 3, 4].map((c) => ({ value: String(c), label: CRITICALITY_LABELS[c]! }));
const EXPOSURE_OPTIONS = EXPOSURES.map((e) => ({ value: e, label: EXPOSURE_LABELS[e] }));

/** Creates a CI, or edits one: an edit carries the updatedAt it was rendered with. */
export function CiForm({
  action,
  initial = EMPTY,
  edit,
}: {
  action: FormAction;
  initial?: CiFormValues;
  edit?: { id: string; updatedAt: string };
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  // After a refusal the form shows what was typed; after a save, what is stored.
  const v = (state.ok ? initial : { ...initial, ...state.values }) as CiFormValues;
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      {edit ? (
        <>
          <input type="hidden" name="id" value={edit.id} />
          <input type="hidden" name="updatedAt" value={edit.updatedAt} />
        </>
      ) : null}
      <Field
        label="Name"
        name="name"
        defaultValue={v.name}
        error={e.name}
        required
        autoComplete="off"
        hint="Unique, as people call it: payments-api, core-db-primary."
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Type" name="type" defaultValue={v.type} error={e.type} required list="ci-types" autoComplete="off" />
        <Field
          label="Environment"
          name="environment"
          defaultValue={v.environment}
          error={e.environment}
          required
          list="ci-environments"
          autoComplete="off"
        />
      </div>
      <datalist id="ci-types">
        {SUGGESTED_CI_TYPES.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <datalist id="ci-environments">
        {SUGGESTED_ENVIRONMENTS.map((t) => (
          <option key={t} value={t} />
        ))}
      </datalist>
      <Field
        label="Owner"
        name="owner"
        defaultValue={v.owner}
        error={e.owner}
        required
        autoComplete="off"
        hint="The team or person accountable for it."
      />
      <div className="grid gap-5 sm:grid-cols-2">
        <SelectField
          label="Criticality"
          name="criticality"
          options={CRITICALITY_OPTIONS}
          placeholder="Choose…"
          defaultValue={v.criticality}
          error={e.criticality}
          required
        />
        <SelectField
          label="Exposure"
          name="exposure"
          options={EXPOSURE_OPTIONS}
          placeholder="Choose…"
          defaultValue={v.exposure}
          error={e.exposure}
          required
        />
      </div>
      <Field
        label="Tags"
        name="tags"
        defaultValue={v.tags}
        error={e.tags}
        autoComplete="off"
        hint="Separated by commas, e.g. pci, hipaa. Freeze windows and audit filters can match them."
      />
      <SubmitButton pendingLabel="Saving…">{edit ? "Save changes" : "Create configuration item"}</SubmitButton>
    </form>
  );
}
