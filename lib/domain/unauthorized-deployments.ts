import { changeReference } from "./change-visibility";
import type { GateReasonCode } from "./deployment-gate";
import type { ReportColumn, ReportDefinition, ReportFilter } from "./exception-reports";

// The auditors' report of deployments that no authorized change covered: its rows, columns and
// filters. The reconciliation that decides a deployment is unauthorized is the gate's (issue 32).

/** The gate's reason codes (a deployment is recorded unauthorized with the same), in the words the report uses. */
export const UNAUTHORIZED_REASON_LABELS: Record<GateReasonCode, string> = {
  no_change: "No matching change",
  change_not_found: "Named change not found",
  change_not_open: "Change not scheduled or implementing",
  no_window: "Change has no approved window",
  outside_window: "Outside the approved window",
  in_freeze: "Inside a freeze",
  digest_not_approved: "Digest not approved",
  scan_policy: "Scan policy not met",
  unknown_ci: "Unknown CI",
  ci_not_in_change: "CI not the change's",
  environment_mismatch: "Environment not the CI's",
  gate_error: "Gate could not decide",
};

export const reasonLabel = (code: string) => (UNAUTHORIZED_REASON_LABELS as Record<string, string>)[code] ?? code.replaceAll("_", " ");

export type UnauthorizedDeploymentRow = {
  deploymentId: string;
  deployedAt: Date;
  environment: string;
  ciName: string;
  status: string;
  reason: string;
  reasons: { code?: string; message?: string }[] | null;
  changeId: string | null;
  number: number | null;
  digests: string[];
  pipelineRunUrl: string;
  pipelineStep: string;
  commitSha: string | null;
  triggeredBy: string | null;
  reportedBy: string | null;
};

const messages = (r: UnauthorizedDeploymentRow) =>
  (Array.isArray(r.reasons) ? r.reasons : [])
    .map((x) => x?.message)
    .filter(Boolean)
    .join(" ");

const columns: ReportColumn<UnauthorizedDeploymentRow>[] = [
  { header: "deployed_at", value: (r) => r.deployedAt },
  { header: "environment", value: (r) => r.environment },
  { header: "ci", value: (r) => r.ciName },
  { header: "status", value: (r) => r.status.replaceAll("_", " ") },
  { header: "reason", value: (r) => reasonLabel(r.reason) },
  { header: "details", value: (r) => messages(r) },
  { header: "change", value: (r) => (r.number === null ? "none" : changeReference(r.number)) },
  { header: "digests", value: (r) => r.digests.join(" ") },
  { header: "pipeline_run", value: (r) => (r.pipelineStep ? `${r.pipelineRunUrl} (${r.pipelineStep})` : r.pipelineRunUrl) },
  { header: "commit", value: (r) => r.commitSha },
  { header: "triggered_by", value: (r) => r.triggeredBy },
  { header: "reported_by", value: (r) => r.reportedBy },
];

const filters: ReportFilter[] = [
  { key: "environment", label: "Environment", column: "environment", kind: "choice", any: "Any environment" },
  { key: "ci", label: "CI", column: "ci_name", kind: "choice", any: "Any CI" },
  {
    key: "reason",
    label: "Reason",
    column: "reason",
    kind: "choice",
    any: "Any reason",
    options: Object.entries(UNAUTHORIZED_REASON_LABELS).map(([value, label]) => ({ value, label })),
  },
  { key: "from", label: "From (UTC)", column: "deployed_at", kind: "from" },
  { key: "to", label: "To (UTC, inclusive)", column: "deployed_at", kind: "to" },
];

export const UNAUTHORIZED_DEPLOYMENTS: ReportDefinition<UnauthorizedDeploymentRow> = {
  slug: "unauthorized-deployments",
  title: "Unauthorized deployments",
  finds:
    "Deployments pipelines reported that no authorized change covered: no matching change, a digest the approval did not cover, outside the approved window or inside a freeze. Newest first.",
  whenEmpty: "Every reported deployment was authorized by a change.",
  columns,
  changeId: (r) => r.changeId,
  filters,
};
