import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import {
  AuditEventsSection,
  CommentsSection,
  ControlMapping,
  FieldChangesSection,
  SignOffsSection,
  VotesSection,
} from "@/components/audit/evidence-sections";
import { PrintButton } from "@/components/audit/print-button";
import { ReportedDeploymentsTable } from "@/components/deployments/reported-deployments-table";
import { Section } from "@/components/ui/section";
import { StateBadge, TypeBadge } from "@/components/changes/change-badges";
import { ChangeFields } from "@/components/changes/change-fields";
import { RiskPanel } from "@/components/changes/risk-panel";
import { PageHeader } from "@/components/ui/page-header";
import { changeReference } from "@/lib/domain/change-visibility";
import { requirePage } from "@/lib/server/auth/current-actor";
import { loadEvidence } from "@/lib/server/history/load-evidence";

export const metadata: Metadata = { title: "Change evidence" };

/** One change's whole history on one printable page, for an auditor. */
export default async function EvidencePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("/audit");
  const { id } = await params;
  const evidence = await loadEvidence(actor, id);
  if (!evidence) notFound();
  const { change, checklist, events, deployments, fieldChanges, controls } = evidence;
  const unauthorized = deployments.filter((d) => !d.authorized).length;
  return (
    <article className="space-y-6">
      <div>
        <p className="mb-2 font-mono text-sm text-slate-500">
          {changeReference(change.number)} · evidence record drawn {new Date().toISOString().replace("T", " ").slice(0, 16)} UTC
        </p>
        <PageHeader
          title={change.title}
          description={`Requested by ${change.requester.name} (${change.requester.email}) on ${change.createdAt.toISOString().slice(0, 10)}${change.implementer ? `; implementer ${change.implementer.name}` : ""}.`}
          actions={
            <div className="flex items-center gap-2">
              <TypeBadge type={change.type} />
              <StateBadge state={change.state} />
              <Link
                href={`/audit?view=events&q=${changeReference(change.number)}`}
                className="text-sm text-indigo-700 hover:underline print:hidden"
              >
                Its events in the history
              </Link>
              <PrintButton />
            </div>
          }
        />
      </div>
      <ControlMapping controls={controls} />
      <Section title="Deployments">
        {deployments.length === 0 ? (
          <p className="text-sm text-slate-600">No pipeline reported a deployment that carried this change.</p>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-600">
              {unauthorized === 0
                ? `${deployments.length} deployment${deployments.length === 1 ? "" : "s"} carried this change, each authorized by its approval.`
                : `${unauthorized} of ${deployments.length} deployments that carried this change were not authorized.`}
            </p>
            <ReportedDeploymentsTable label="Deployments that carried this change" deployments={deployments} show="ci" />
          </>
        )}
      </Section>
      <RiskPanel score={change.riskScore} level={change.riskLevel} stored={change.riskFactors} />
      <VotesSection change={change} />
      <SignOffsSection checklist={checklist} />
      <ChangeFields change={change} />
      <FieldChangesSection changes={fieldChanges} />
      <CommentsSection change={change} />
      <AuditEventsSection events={events} />
    </article>
  );
}
