"use client";

import { useActionState, useState } from "react";
import type { FormAction } from "@/lib/domain/form-state";
import { DateTimeField } from "@/components/ui/date-time-field";
import { Field } from "@/components/ui/field";
import { FormMessage } from "@/components/ui/form-message";
import { SubmitButton } from "@/components/ui/submit-button";
import { TextArea } from "@/components/ui/text-area";
import { formValues } from "@/components/ui/form-values";
import { CiPicker, type PickerCi } from "@/components/cis/ci-picker";

export type TemplateOption = { id: string; title: string; version: number };
export type ChangeFormInitial = { values: Record<string, string | string[]>; cis: PickerCi[]; changeId?: string; version?: number };

const TYPES = [
  { value: "normal", label: "Normal", hint: "Assessed, then authorized by the CAB according to its risk." },
  { value: "standard", label: "Standard", hint: "Low risk and repeatable, from a pre-approved template: scheduled on submission." },
  { value: "emergency", label: "Emergency", hint: "Cannot wait (active exploitation, outage): dual approval, reviewed afterwards." },
  { value: "major", label: "Major", hint: "High impact (migration, new platform): full CAB, security review, management approval." },
];

const FLAGS = [
  { name: "newExternalInterface", label: "Adds a new external interface, API or data flow" },
  { name: "touchesAuth", label: "Touches authentication or access control" },
  { name: "regulatedData", label: "Handles regulated data" },
  { name: "infraProvisioning", label: "Provisions infrastructure" },
  { name: "releaseArtifact", label: "Deploys a release artifact" },
  { name: "temporaryAccess", label: "Opens temporary access or firewall rules" },
];

export function ChangeForm({
  action,
  searchCis,
  templates,
  frameworks,
  initial,
  submitLabel,
}: {
  action: FormAction;
  searchCis: (query: string) => Promise<PickerCi[]>;
  templates: TemplateOption[];
  frameworks: { tag: string; label: string }[];
  initial: ChangeFormInitial;
  submitLabel: string;
}) {
  const [state, formAction] = useActionState(action, { ok: true });
  const kept = formValues(state, { ...initial.values, type: initial.values.type || "normal" });
  const e = state.fieldErrors ?? {};
  // What is shown depends on the choice; the inputs themselves stay uncontrolled (see formValues).
  const [type, setType] = useState(kept.text("type"));
  const [flags, setFlags] = useState<Record<string, boolean>>(Object.fromEntries(FLAGS.map((f) => [f.name, kept.has(f.name)])));
  const str = kept.text;

  return (
    <form action={formAction} className="space-y-8" noValidate>
      {initial.changeId ? <input type="hidden" name="changeId" value={initial.changeId} /> : null}
      {initial.version ? <input type="hidden" name="version" value={initial.version} /> : null}
      <FormMessage ok={state.ok} message={state.message} />

      <section className="space-y-4 rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <h2 className="font-semibold">What and why</h2>
        <fieldset>
          <legend className="text-sm font-medium text-slate-800">Change type</legend>
          <div className="mt-2 grid gap-2 sm:grid-cols-2">
            {TYPES.map((t) => (
              <label
                key={t.value}
                className={`flex gap-3 rounded-md p-3 text-sm ring-1 ${type === t.value ? "bg-indigo-50 ring-indigo-300" : "ring-slate-200"}`}
              >
                <input {...kept.radio("type", t.value)} onChange={() => setType(t.value)} className="mt-0.5" />
                <span>
                  <span className="font-medium">{t.label}</span>
                  <span className="block text-slate-600">{t.hint}</span>
                </span>
              </label>
            ))}
          </div>
          {e.type ? <p className="mt-1 text-sm text-rose-700">{e.type}</p> : null}
        </fieldset>
        {type === "standard" ? (
          <div className="space-y-1">
            <label htmlFor="templateId" className="block text-sm font-medium text-slate-800">
              Template
            </label>
            <select
              key={str("templateId")}
              id="templateId"
              name="templateId"
              defaultValue={str("templateId")}
              aria-invalid={e.templateId ? true : undefined}
              className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
            >
              <option value="">Choose an approved template…</option>
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.title} (version {t.version})
                </option>
              ))}
            </select>
            {templates.length === 0 ? (
              <p className="text-xs text-slate-500">No approved template yet: file a normal change instead.</p>
            ) : null}
            {e.templateId ? <p className="text-sm text-rose-700">{e.templateId}</p> : null}
          </div>
        ) : (
          <input type="hidden" name="templateId" value="" />
        )}
        <Field label="Title" name="title" defaultValue={str("title")} error={e.title} maxLength={200} required />
        <TextArea label="Description" name="description" defaultValue={str("description")} error={e.description} />
        <TextArea
          label="Business justification"
          name="justification"
          defaultValue={str("justification")}
          error={e.justification}
          rows={3}
        />
        {type === "emergency" ? (
          <TextArea
            label="Emergency justification"
            name="emergencyJustification"
            defaultValue={str("emergencyJustification")}
            error={e.emergencyJustification}
            rows={3}
            hint="Why this cannot wait for the normal path: the outage or the exploitation in progress."
          />
        ) : (
          <input type="hidden" name="emergencyJustification" value="" />
        )}
      </section>

      <section className="space-y-4 rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <h2 className="font-semibold">Scope and window</h2>
        <CiPicker name="ciIds" legend="Affected configuration items" initial={initial.cis} search={searchCis} error={e.ciIds} />
        <div className="grid gap-4 sm:grid-cols-2">
          <DateTimeField label="Planned start" name="plannedStart" defaultValue={str("plannedStart")} error={e.plannedStart} />
          <DateTimeField label="Planned end" name="plannedEnd" defaultValue={str("plannedEnd")} error={e.plannedEnd} />
        </div>
      </section>

      <section className="space-y-4 rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <h2 className="font-semibold">Plans</h2>
        <TextArea
          label="Implementation plan"
          name="implementationPlan"
          defaultValue={str("implementationPlan")}
          error={e.implementationPlan}
          rows={5}
        />
        <TextArea label="Backout plan" name="backoutPlan" defaultValue={str("backoutPlan")} error={e.backoutPlan} />
        <label className="flex items-center gap-2 text-sm">
          <input {...kept.checkbox("backoutTested")} className="size-4" /> The backout plan was tested (rehearsed)
        </label>
        <TextArea label="Test plan" name="testPlan" defaultValue={str("testPlan")} error={e.testPlan} />
        <label className="flex items-center gap-2 text-sm">
          <input {...kept.checkbox("pipelineMovesChange")} className="size-4" /> Let its pipeline&apos;s deployments start it and record the
          outcome (when a change manager makes the pipeline its implementer)
        </label>
      </section>

      <section className="space-y-4 rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <h2 className="font-semibold">Security</h2>
        <p className="text-sm text-slate-600">These decide which security checklist items and approvals the change needs.</p>
        <div className="grid gap-2 sm:grid-cols-2">
          {FLAGS.map((f) => (
            <label key={f.name} className="flex items-center gap-2 text-sm">
              <input {...kept.checkbox(f.name)} onChange={(ev) => setFlags({ ...flags, [f.name]: ev.target.checked })} className="size-4" />{" "}
              {f.label}
            </label>
          ))}
        </div>
        {flags.regulatedData ? (
          <fieldset>
            <legend className="text-sm font-medium text-slate-800">Regulation</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              {frameworks.map((f) => (
                <label key={f.tag} className="flex items-center gap-2 text-sm">
                  <input {...kept.checkbox("frameworkTags", f.tag)} className="size-4" /> {f.label}
                </label>
              ))}
            </div>
            {e.frameworkTags ? <p className="mt-1 text-sm text-rose-700">{e.frameworkTags}</p> : null}
          </fieldset>
        ) : null}
        {flags.releaseArtifact ? (
          <Field
            label="Artifact digest"
            name="artifactDigest"
            defaultValue={str("artifactDigest")}
            error={e.artifactDigest}
            placeholder="sha256:…"
          />
        ) : (
          <input type="hidden" name="artifactDigest" value="" />
        )}
        {flags.temporaryAccess ? (
          <DateTimeField
            label="Temporary access expires"
            name="accessExpiresAt"
            defaultValue={str("accessExpiresAt")}
            error={e.accessExpiresAt}
          />
        ) : (
          <input type="hidden" name="accessExpiresAt" value="" />
        )}
        <TextArea
          label="CVE references"
          name="cves"
          defaultValue={str("cves")}
          error={e.cves}
          rows={3}
          placeholder={"CVE-2026-12345 9.8 exploited\nCVE-2025-0001 5.3"}
          hint='One per line: the CVE, its CVSS base score, and "exploited" when it is known to be exploited.'
        />
      </section>

      <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
    </form>
  );
}
