import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { DataTable } from "@/components/ui/data-table";
import { changeReference } from "@/lib/domain/change-visibility";
import { reasonLabel } from "@/lib/domain/unauthorized-deployments";
import type { DeploymentLine } from "@/lib/server/deployments/recent-deployments";

const cell = "px-4 py-2.5 align-top";
const utc = (d: Date) => d.toISOString().replace("T", " ").slice(0, 16) + " UTC";
const STATUS_TONES = { succeeded: "good", failed: "bad", rolled_back: "warn", started: "info" } as const;
// A pipeline reports its run's address; only a web address becomes a link.
const isWeb = (url: string) => /^https?:\/\//i.test(url);

/** Deployments as pipelines reported them: when, where, how it ended, and whether a change authorized it. */
export function ReportedDeploymentsTable({
  label,
  deployments,
  show,
}: {
  label: string;
  deployments: DeploymentLine[];
  show: "ci" | "change";
}) {
  return (
    <DataTable label={label} headers={["When", "Environment", show === "ci" ? "CI" : "Change", "Status", "Authorized", "Pipeline run"]}>
      {deployments.map((d) => (
        <tr key={d.id}>
          <td className={`${cell} whitespace-nowrap`}>{utc(d.at)}</td>
          <td className={cell}>{d.environment}</td>
          <td className={cell}>
            {show === "ci" ? (
              d.ciName
            ) : d.change ? (
              <Link href={`/changes/${d.change.id}`} className="text-indigo-700 hover:underline" title={d.change.title}>
                {changeReference(d.change.number)}
              </Link>
            ) : (
              <span className="text-slate-500">no change</span>
            )}
          </td>
          <td className={cell}>
            <Badge tone={STATUS_TONES[d.status]}>{d.status.replace("_", " ")}</Badge>
          </td>
          <td className={cell}>
            {d.authorized ? (
              <Badge tone="good">authorized</Badge>
            ) : (
              <span className="flex flex-wrap items-center gap-1">
                <Badge tone="bad">unauthorized</Badge>
                <span className="text-xs text-slate-600">{reasonLabel(d.unauthorizedReason ?? "")}</span>
              </span>
            )}
          </td>
          <td className={`${cell} max-w-xs wrap-anywhere`}>
            {isWeb(d.pipelineRunUrl) ? (
              <a href={d.pipelineRunUrl} className="text-indigo-700 hover:underline" rel="noreferrer noopener">
                {d.pipelineRunUrl}
              </a>
            ) : (
              d.pipelineRunUrl
            )}
            {d.pipelineStep ? <span className="text-slate-500"> · {d.pipelineStep}</span> : null}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
