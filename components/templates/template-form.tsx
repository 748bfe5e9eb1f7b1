"use client";

import { useActionState } from "react";
import { CiPicker, type PickerCi } from "@/components/cis/ci-picker";
import { SelectField } from "@/components/cis/select-field";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextArea } from "@/components/ui/text-area";
import { RISK_LEVEL_LABELS } from "@/lib/domain/risk-levels";
import { TEMPLATE_RISK_CEILINGS } from "@/lib/domain/template-rules";
import type { FormAction } from "@/lib/domain/form-state";

export type TemplateFormValues = {
  title: string;
  description: string;
  implementationPlan: string;
  backoutPlan: string;
  testPlan: string;
  riskCeiling: string;
};

const EMPTY: TemplateFormValues = { title: "", description: "", implementationPlan: "", backoutPlan: "", testPlan: "", riskCeiling: "low" };
const CEILINGS = TEMPLATE_RISK_CEILINGS.map((r) => ({ value: r, label: RISK_LEVEL_LABELS[r] }));

/** Proposes a template, or (with `baseId`) its next version; either way it then awaits approval. */
export function TemplateForm({
  action,
  search,
  initial = EMPTY,
  cis = [],
  baseId,
}: {
  action: FormAction;
  search: (query: string) => Promise<PickerCi[]>;
  initial?: TemplateFormValues;
  cis?: PickerCi[];
  baseId?: string;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  const v = { ...initial, ...(state.values as Partial<TemplateFormValues> | undefined) };
  const e = state.fieldErrors ?? {};
  return (
    <form action={formAction} className="space-y-5" noValidate>
      <FormMessage ok={state.ok} message={state.message} />
      {baseId ? <input type="hidden" name="baseId" value={baseId} /> : null}
      <Field
        label="Title"
        name="title"
        defaultValue={v.title}
        error={e.title}
        required
        autoComplete="off"
        hint="What the standard change does, e.g. “Rotate a TLS certificate on a load balancer”."
      />
      <TextArea
        label="Description"
        name="description"
        defaultValue={v.description}
        error={e.description}
        rows={3}
        required
        hint="When the template applies, and when it does not."
      />
      <TextArea
        label="Implementation plan"
        name="implementationPlan"
        defaultValue={v.implementationPlan}
        error={e.implementationPlan}
        rows={5}
        required
      />
      <TextArea label="Backout plan" name="backoutPlan" defaultValue={v.backoutPlan} error={e.backoutPlan} rows={4} required />
      <TextArea label="Test plan" name="testPlan" defaultValue={v.testPlan} error={e.testPlan} rows={4} required />
      <SelectField
        label="Risk ceiling"
        name="riskCeiling"
        options={CEILINGS}
        defaultValue={v.riskCeiling}
        error={e.riskCeiling}
        hint="A change from this template above this risk must be reclassified as a normal change."
      />
      <CiPicker
        name="ciIds"
        legend="Configuration items it may touch"
        hint="A change from this template must stay within these."
        initial={cis}
        search={search}
        error={e.ciIds}
      />
      <SubmitButton pendingLabel="Proposing…">{baseId ? "Propose new version" : "Propose template"}</SubmitButton>
    </form>
  );
}
