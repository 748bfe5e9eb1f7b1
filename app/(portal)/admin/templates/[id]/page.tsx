import type { Metadata } from "next";
import { parseAdminDetailParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CriticalityBadge } from "@/components/cis/ci-badges";
import { TemplateActions } from "@/components/templates/template-actions";
import { TemplateStatusBadge } from "@/components/templates/template-status-badge";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { isRiskLevel, RISK_LEVEL_LABELS } from "@/lib/domain/risk-levels";
import { canManageTemplates, decideApproval, decideNewVersion, decideRetire } from "@/lib/domain/template-rules";
import { getTemplate } from "@/lib/server/templates/get-template";
import { requireTemplatePage } from "@/lib/server/templates/require-template-page";
import { approveTemplateAction, retireTemplateAction } from "../actions";

export const metadata: Metadata = { title: "Template" };

const when = (d: Date) => d.toISOString().slice(0, 16).replace("T", " ") + " UTC";

export default async function TemplatePage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Params> }) {
  const actor = await requireTemplatePage();
  const { id } = await params;
  const t = await getTemplate(actor, id);
  if (!t) notFound();
  const { proposed } = parseAdminDetailParams(await searchParams);
  const manages = canManageTemplates(actor.roles);
  const approval = decideApproval(actor, { status: t.status, proposedById: t.proposedBy.id });
  const latest = t.versions[0]!;
  const newVersion = decideNewVersion(t, latest);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/templates" className="text-indigo-700 hover:underline">
          ← All templates
        </Link>
      </p>
      <PageHeader
        title={t.title}
        description={`Version ${t.version} · risk ceiling ${isRiskLevel(t.riskCeiling) ? RISK_LEVEL_LABELS[t.riskCeiling].toLowerCase() : t.riskCeiling}`}
        actions={<TemplateStatusBadge status={t.status} />}
      />
      {proposed ? (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          Proposed. An admin or a change manager other than you must approve it before changes can use it.
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="space-y-6 lg:col-span-2">
          <section aria-labelledby="what-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="what-heading" className="sr-only">
              Content
            </h2>
            <dl className="space-y-4 text-sm">
              {(
                [
                  ["Description", t.description],
                  ["Implementation plan", t.implementationPlan],
                  ["Backout plan", t.backoutPlan],
                  ["Test plan", t.testPlan],
                ] as const
              ).map(([label, text]) => (
                <div key={label}>
                  <dt className="font-medium text-slate-800">{label}</dt>
                  <dd className="mt-1 whitespace-pre-wrap text-slate-700">{text}</dd>
                </div>
              ))}
            </dl>
          </section>
          <section aria-labelledby="cis-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="cis-heading" className="font-semibold">
              Configuration items it may touch
            </h2>
            <ul className="mt-2 divide-y divide-slate-100">
              {t.cis.map((ci) => (
                <li key={ci.id} className="flex items-center justify-between gap-2 py-2 text-sm">
                  <span className="font-medium">{ci.name}</span>
                  <span className="flex items-center gap-2 text-slate-500">
                    {ci.environment} <CriticalityBadge criticality={ci.criticality} />
                  </span>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <div className="space-y-6">
          <section aria-labelledby="actions-heading" className="space-y-4 rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="actions-heading" className="font-semibold">
              What you can do
            </h2>
            <TemplateActions
              approve={approveTemplateAction}
              retire={retireTemplateAction}
              template={{ id: t.id, title: t.title, version: t.version, inUse: t.status === "approved" }}
              approval={t.status === "proposed" ? approval : null}
              canRetire={manages && decideRetire(t).allowed}
            >
              {manages && t.version === latest.version ? (
                newVersion.allowed ? (
                  <Link href={`/admin/templates/${t.id}/new-version`} className={buttonStyles.secondary}>
                    Edit as new version
                  </Link>
                ) : t.status !== "proposed" ? (
                  <p className="text-sm text-slate-600">{newVersion.reason}</p>
                ) : null
              ) : null}
            </TemplateActions>
            {t.status === "retired" ? <p className="text-sm text-slate-600">Retired versions cannot be used or changed.</p> : null}
          </section>
          <section aria-labelledby="history-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="history-heading" className="font-semibold">
              This version
            </h2>
            <div className="mt-2 space-y-1 text-sm text-slate-600">
              <div>
                Proposed by <span className="font-medium text-slate-800">{t.proposedBy.name}</span>, {when(t.createdAt)}
              </div>
              {t.approvedBy && t.approvedAt ? (
                <div>
                  Approved by <span className="font-medium text-slate-800">{t.approvedBy.name}</span>, {when(t.approvedAt)}
                </div>
              ) : null}
              {t.retiredAt ? <div>Retired {when(t.retiredAt)}</div> : null}
            </div>
            <h3 className="mt-4 text-sm font-semibold">All versions</h3>
            <ul className="mt-1 divide-y divide-slate-100">
              {t.versions.map((v) => (
                <li key={v.id} className="flex items-center justify-between py-1.5 text-sm">
                  {v.id === t.id ? (
                    <span className="font-medium">Version {v.version} (this one)</span>
                  ) : (
                    <Link href={`/admin/templates/${v.id}`} className="text-indigo-700 hover:underline">
                      Version {v.version}
                    </Link>
                  )}
                  <TemplateStatusBadge status={v.status} />
                </li>
              ))}
            </ul>
          </section>
        </div>
      </div>
    </>
  );
}
