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
import { ArtifactFields } from "./artifact-fields";

export type TemplateOption = { id: string; title: string; version: number };
export type ChangeFormInitial = {
  values: Record<string, string | string[]>;
  cis: PickerCi[];
  changeId?: string;
  version?: number;
  /** Someone other than the requester may record that the backout was tested; the requester's word does not count. */
  recordsBackoutTest?: boolean;
  /** Who recorded the backout test and when, shown beside it. */
  backoutTestedNote?: string;
  /** An authorized change: only its artifacts may change (which sends it back for approval). */
  artifactsOnly?: boolean;
};

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

  if (initial.artifactsOnly)
    return <ArtifactsOnlyForm action={formAction} state={state} initial={initial} kept={kept} submitLabel={submitLabel} />;

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
        {initial.recordsBackoutTest ? (
          <label className="flex items-center gap-2 text-sm">
            <input {...kept.checkbox("backoutTestRecorded")} className="size-4" /> I confirm the backout was tested: record it as me, now
          </label>
        ) : null}
        <p className="text-xs text-slate-500">
          {initial.backoutTestedNote ??
            "The requester's box is their statement; only a test recorded by someone other than the requester (a change manager during assessment) lowers the risk score."}
        </p>
        <TextArea
          label="Rollback criteria"
          name="rollbackCriteria"
          defaultValue={str("rollbackCriteria")}
          error={e.rollbackCriteria}
          rows={3}
          hint="What makes you roll back: error rate, latency, failed checks."
        />
        <Field
          label="Version it replaces"
          name="replacesVersion"
          defaultValue={str("replacesVersion")}
          error={e.replacesVersion}
          maxLength={200}
          placeholder="2.4.0"
        />
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
        {e.releaseArtifact ? <p className="text-sm text-rose-700">{e.releaseArtifact}</p> : null}
        {flags.releaseArtifact ? <ArtifactFields kept={kept} errors={e} /> : null}
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

const ARTIFACT_FIELD = /^artifact[A-Z]/;

/** An authorized change's edit: its other fields ride along unchanged, hidden; only the artifacts are open. */
function ArtifactsOnlyForm({
  action,
  state,
  initial,
  kept,
  submitLabel,
}: {
  action: (form: FormData) => void;
  state: { ok: boolean; message?: string; fieldErrors?: Record<string, string> };
  initial: ChangeFormInitial;
  kept: ReturnType<typeof formValues>;
  submitLabel: string;
}) {
  const hidden = Object.entries(initial.values).filter(([name]) => !ARTIFACT_FIELD.test(name));
  return (
    <form action={action} className="space-y-8" noValidate>
      <input type="hidden" name="changeId" value={initial.changeId} />
      <input type="hidden" name="version" value={initial.version} />
      {hidden.flatMap(([name, value]) =>
        (Array.isArray(value) ? value : [value]).map((v, i) => <input key={`${name}-${i}`} type="hidden" name={name} value={v} />),
      )}
      <FormMessage ok={state.ok} message={state.message} />
      <section className="space-y-4 rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <h2 className="font-semibold">Release artifacts</h2>
        <p className="text-sm text-amber-800">
          This change is authorized for exactly these artifacts. Saving a different set sends it back for assessment and a new approval
          round.
        </p>
        {state.fieldErrors?.releaseArtifact ? <p className="text-sm text-rose-700">{state.fieldErrors.releaseArtifact}</p> : null}
        <ArtifactFields kept={kept} errors={state.fieldErrors ?? {}} />
      </section>
      <SubmitButton pendingLabel="Saving…">{submitLabel}</SubmitButton>
    </form>
  );
}
