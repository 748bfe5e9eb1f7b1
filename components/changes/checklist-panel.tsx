import { Badge } from "@/components/ui/badge";
import { Section } from "@/components/ui/section";
import type { ActorFacts, ChangeFacts } from "@/lib/domain/change-facts";
import { applicableItems, SCAN_POLICY_ITEM } from "@/lib/domain/checklist";
import { decideSignOff, scanFailures } from "@/lib/domain/decide-sign-off";
import { decideWaiver } from "@/lib/domain/decide-waiver";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { checklistStanding } from "@/lib/domain/waiver-expiry";
import type { FormAction } from "@/lib/domain/form-state";
import type { ChangePageDetail } from "@/lib/server/changes/get-change";
import { StepDateTime, StepForm, StepTextArea } from "./step-form";

// Whether the viewer may waive at all; the expiry is checked when they do.
const FAR_FUTURE = new Date("9999-01-01T00:00:00Z");

const TONE = { pending: "warn", signed: "good", waived: "info", lapsed: "bad" } as const;
const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The security checklist: why each item applies, who may sign it, and its sign-off or waiver. */
export function ChecklistPanel({
  facts,
  change,
  actor,
  signOffAction,
  waiveAction,
  now,
}: {
  now: Date;
  facts: ChangeFacts;
  change: ChangePageDetail;
  actor: ActorFacts;
  signOffAction: FormAction;
  waiveAction: FormAction;
}) {
  const applicable = new Map(applicableItems(facts).map((i) => [i.key, i]));
  if (change.checklist.length === 0) {
    return (
      <Section title="Security checklist">
        <p className="text-sm text-slate-600">
          {applicable.size
            ? `${applicable.size} items will apply once the change is submitted.`
            : "No checklist item applies to this change."}
        </p>
      </Section>
    );
  }
  return (
    <Section title="Security checklist">
      <ul className="divide-y divide-slate-100">
        {change.checklist.map((item) => {
          // A lapsed waiver is open again, as the authorization and deployment gates count it.
          const standing = checklistStanding(item, now);
          const open = standing === "pending" || standing === "lapsed";
          const canSign = open && decideSignOff(facts, actor, item.key, "evidence").allowed;
          const canWaive =
            open && decideWaiver(facts, actor, item.key, { compensatingControl: "x", residualRisk: "x", expiresAt: FAR_FUTURE }).allowed;
          const scanItem = item.key === SCAN_POLICY_ITEM;
          return (
            <li key={item.id} className="py-3 text-sm">
              <div className="flex flex-wrap items-center justify-between gap-2">
                <p className="font-medium">
                  {item.title}{" "}
                  {item.preImplementation ? <span className="text-xs font-normal text-slate-500">(before implementation)</span> : null}
                </p>
                <Badge tone={TONE[standing]}>{standing === "lapsed" ? "waiver lapsed" : standing}</Badge>
              </div>
              <p className="text-slate-600">
                Signed by a {ROLE_LABELS[item.signerRole]} with {item.evidenceWanted}.
                {applicable.get(item.key) ? ` Applies because ${applicable.get(item.key)!.because}.` : ""}
              </p>
              {scanItem && open ? (
                <p className="mt-1 text-slate-700">
                  {facts.artifacts.length === 0
                    ? "Judged from the artifacts' scans: no artifact is listed yet."
                    : facts.scanPolicy.passes
                      ? "Met: the artifacts hold the scan policy."
                      : `Blocks authorization: ${scanFailures(facts)}`}
                </p>
              ) : null}
              {item.status === "signed" ? (
                <p className="mt-1 text-slate-700">
                  Signed by {item.signedBy?.name} on {item.signedAt ? utc(item.signedAt) : ""}: {item.evidence}
                </p>
              ) : null}
              {standing === "waived" ? (
                <p className="mt-1 text-slate-700">
                  Waived by {item.signedBy?.name}. Compensating control: {item.compensatingControl}. Residual risk: {item.residualRisk}.
                  {item.waiverExpiresAt ? ` Expires ${utc(item.waiverExpiresAt)}.` : ""}
                </p>
              ) : null}
              {standing === "lapsed" ? (
                <p className="mt-1 text-slate-700">
                  The waiver by {item.signedBy?.name} lapsed on {utc(item.waiverExpiresAt!)}: the item is open again and blocks
                  authorization and deployments until it is signed off or waived anew. Its compensating control was:{" "}
                  {item.compensatingControl}.
                </p>
              ) : null}
              {canSign || canWaive ? (
                <div className="mt-2 grid gap-4 md:grid-cols-2">
                  {canSign ? (
                    <StepForm action={signOffAction} hidden={{ changeId: facts.id, key: item.key }} submitLabel={`Sign off ${item.title}`}>
                      <StepTextArea name="evidence" label="Evidence" hint={`What you checked: ${item.evidenceWanted}.`} />
                    </StepForm>
                  ) : null}
                  {canWaive ? (
                    <StepForm
                      action={waiveAction}
                      hidden={{ changeId: facts.id, key: item.key }}
                      submitLabel={`Waive ${item.title}`}
                      variant="secondary"
                    >
                      <StepTextArea name="compensatingControl" label="Compensating control" />
                      <StepTextArea name="residualRisk" label="Residual risk" />
                      <StepDateTime name="expiresAt" label={scanItem ? "Waiver expires" : "Waiver expires (optional)"} />
                    </StepForm>
                  ) : null}
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}
