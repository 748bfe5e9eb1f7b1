import type { Metadata } from "next";
import { parseAdminDetailParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CriticalityBadge, ExposureBadge } from "@/components/cis/ci-badges";
import { CiDependenciesForm } from "@/components/cis/ci-dependencies-form";
import { CiForm } from "@/components/cis/ci-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { getCi } from "@/lib/server/cis/get-ci";
import { searchCisAction, setCiDependenciesAction, updateCiAction } from "../actions";
import { addMaintenanceWindowAction, removeMaintenanceWindowAction } from "../../freezes/actions";
import { ConfirmForm } from "@/components/schedule/confirm-form";
import { MaintenanceWindowForm } from "@/components/schedule/maintenance-window-form";
import { describeSlot } from "@/lib/domain/schedule-windows";
import { ReportedDeploymentsTable } from "@/components/deployments/reported-deployments-table";
import { CI_DEPLOYMENTS_SHOWN, ciDeployments } from "@/lib/server/deployments/recent-deployments";

export const metadata: Metadata = { title: "Configuration item" };

export default async function CiPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Params> }) {
  const actor = await requirePage("/admin/cis");
  const { id } = await params;
  const [ci, deployments] = await Promise.all([getCi(actor, id), ciDeployments(actor, id)]);
  if (!ci) notFound();
  const { created } = parseAdminDetailParams(await searchParams);
  const updatedAt = ci.updatedAt.toISOString();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/cis" className="text-indigo-700 hover:underline">
          ← All configuration items
        </Link>
      </p>
      <PageHeader
        title={ci.name}
        description={`${ci.type} · ${ci.environment} · owned by ${ci.owner}`}
        actions={
          <>
            <CriticalityBadge criticality={ci.criticality} />
            <ExposureBadge exposure={ci.exposure} />
          </>
        }
      />
      {created ? (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          Configuration item created. Now say what it depends on.
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="details-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
          <h2 id="details-heading" className="mb-3 font-semibold">
            Details
          </h2>
          <CiForm
            action={updateCiAction}
            edit={{ id: ci.id, updatedAt }}
            initial={{
              name: ci.name,
              type: ci.type,
              environment: ci.environment,
              owner: ci.owner,
              criticality: String(ci.criticality),
              exposure: ci.exposure,
              tags: ci.tags.join(", "),
            }}
          />
        </section>
        <div className="space-y-6">
          <section aria-labelledby="deps-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="deps-heading" className="mb-3 font-semibold">
              Dependencies
            </h2>
            <CiDependenciesForm
              action={setCiDependenciesAction}
              search={searchCisAction}
              ci={{ id: ci.id, name: ci.name, updatedAt }}
              dependsOn={ci.dependsOn}
            />
          </section>
          <section aria-labelledby="maintenance-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="maintenance-heading" className="font-semibold">
              Maintenance windows
            </h2>
            <p className="mt-1 text-xs text-slate-500">
              Weekly slots (UTC) in which {ci.name} may be changed. A change planned outside them is flagged to the CAB; with none, any time
              is allowed.
            </p>
            {ci.maintenanceWindows.length === 0 ? (
              <p className="mt-3 text-sm text-slate-500">No maintenance window: {ci.name} may be changed any time.</p>
            ) : (
              <ul className="mt-3 divide-y divide-slate-100">
                {ci.maintenanceWindows.map((w) => (
                  <li key={w.id} className="flex items-center justify-between gap-2 py-2 text-sm">
                    <span>{describeSlot(w)}</span>
                    <ConfirmForm
                      action={removeMaintenanceWindowAction}
                      hidden={{ id: w.id, ciId: ci.id }}
                      label="Remove"
                      title="Remove this maintenance window?"
                      body={`${describeSlot(w)} will no longer count as a time in which ${ci.name} may be changed.`}
                      confirmLabel="Remove"
                    />
                  </li>
                ))}
              </ul>
            )}
            <div className="mt-4 border-t border-slate-100 pt-4">
              <MaintenanceWindowForm action={addMaintenanceWindowAction} ciId={ci.id} />
            </div>
          </section>
          <section aria-labelledby="dependents-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="dependents-heading" className="font-semibold">
              Depended on by
            </h2>
            <p className="mt-1 text-xs text-slate-500">
              Directly; a change to {ci.name} can affect these and, through them, their own dependents (the blast radius).
            </p>
            {ci.dependents.length === 0 ? (
              <p className="mt-3 text-sm text-slate-500">Nothing depends on {ci.name}.</p>
            ) : (
              <ul className="mt-3 divide-y divide-slate-100">
                {ci.dependents.map((d) => (
                  <li key={d.id} className="flex items-center justify-between gap-2 py-2 text-sm">
                    <Link href={`/admin/cis/${d.id}`} className="font-medium text-indigo-700 hover:underline">
                      {d.name}
                    </Link>
                    <span className="flex items-center gap-2 text-slate-500">
                      {d.environment} <CriticalityBadge criticality={d.criticality} />
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        </div>
      </div>
      <section aria-labelledby="deployments-heading" className="mt-6 rounded-lg bg-white p-5 ring-1 ring-slate-200">
        <h2 id="deployments-heading" className="font-semibold">
          Deployments
        </h2>
        <p className="mt-1 mb-3 text-xs text-slate-500">
          {deployments.total === 0
            ? `No pipeline has reported a deployment of ${ci.name}.`
            : `${deployments.total} reported by pipelines, ${deployments.unauthorized} unauthorized${deployments.total > CI_DEPLOYMENTS_SHOWN ? `; the latest ${CI_DEPLOYMENTS_SHOWN}` : ""}.`}{" "}
          {deployments.unauthorized > 0 ? (
            <Link
              href={`/audit/reports/unauthorized-deployments?ci=${encodeURIComponent(ci.name)}`}
              className="text-indigo-700 hover:underline"
            >
              Unauthorized deployments report
            </Link>
          ) : null}
        </p>
        {deployments.recent.length > 0 ? (
          <ReportedDeploymentsTable label={`Deployments of ${ci.name}`} deployments={deployments.recent} show="change" />
        ) : null}
      </section>
    </>
  );
}
