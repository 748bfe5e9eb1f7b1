import { Section } from "@/components/ui/section";
import { DEPLOYMENT_STATUS_LABELS } from "@/lib/domain/deployment-status";
import { formatUtc } from "@/lib/domain/utc-time";
import type { DeploymentDto } from "@/lib/server/deployments/deployment-schemas";

/** The deployments pipelines reported for this change, each authorized or not, and why. */
export function DeploymentsPanel({ deployments }: { deployments: DeploymentDto[] }) {
  return (
    <Section title="Deployments">
      {deployments.length === 0 ? (
        <p className="text-sm text-slate-600">No pipeline has reported a deployment of this change.</p>
      ) : (
        <ul className="space-y-3 text-sm">
          {deployments.map((d) => (
            <li key={d.id} className="rounded-md p-3 ring-1 ring-slate-200" data-testid="deployment">
              <div className="flex flex-wrap items-center gap-2">
                <span
                  className={`rounded px-1.5 py-0.5 text-xs font-medium ring-1 ${d.authorized ? "bg-emerald-50 text-emerald-800 ring-emerald-200" : "bg-rose-50 text-rose-800 ring-rose-200"}`}
                >
                  {d.authorized ? "Authorized" : "Unauthorized"}
                </span>
                <span className="font-medium">
                  {d.ci.name} ({d.environment})
                </span>
                <span className="text-slate-600">{DEPLOYMENT_STATUS_LABELS[d.status]}</span>
                <span className="text-slate-500">{formatUtc(new Date(d.startedAt ?? d.createdAt))}</span>
              </div>
              <p className="mt-1 wrap-anywhere font-mono text-xs text-slate-600">{d.digests.join(" ")}</p>
              <p className="mt-1 wrap-anywhere text-xs text-slate-600">
                Pipeline run {d.pipelineRunUrl}
                {d.pipelineStep ? ` (${d.pipelineStep})` : ""}
                {d.commitSha ? `, commit ${d.commitSha.slice(0, 12)}` : ""}
                {d.triggeredBy ? `, triggered by ${d.triggeredBy}` : ""}
              </p>
              {d.authorized ? null : (
                <ul className="mt-1 list-disc wrap-anywhere pl-5 text-rose-800">
                  {d.reasons.map((r) => (
                    <li key={r.code + r.message}>{r.message}</li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}
