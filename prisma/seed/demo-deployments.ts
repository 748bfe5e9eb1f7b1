// The demo's deployments: what its pipelines reported over the back-dated months, so the DORA
// metrics have trends and the unauthorized deployments report has rows. Each implemented change
// of a deployable CI goes to staging, then to production in its window (a failed or rolled-back one
// is followed by a recovery); a few deployments had no authorized change: hotfixes without a change,
// an unapproved digest, one inside a freeze, and the production deploys of changes that overran their window.
import { createHash } from "node:crypto";
import type { Json, PlannedEvent } from "../../scripts/lib/history/chained-event-log";
import { pgTextArray } from "../../scripts/lib/history/copy";
import type { Random } from "../../scripts/lib/history/random";
import { DEMO_CIS } from "./demo-history-catalogue";
import type { ChangeRows, Person } from "./demo-history-change";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

/** CIs a pipeline deploys: applications and services, not DNS, databases or hosts. */
const DEPLOYABLE = new Set<string>(
  DEMO_CIS.filter((c) => ["application", "service"].includes(c.type) && c.name !== "dns").map((c) => c.name),
);
const ENVIRONMENT = Object.fromEntries(DEMO_CIS.map((c) => [c.name, c.environment])) as Record<string, string>;

export const DEPLOYMENT_COLUMNS = [
  "id",
  "environment",
  "ci_id",
  "ci_name",
  "digests",
  "status",
  "started_at",
  "finished_at",
  "pipeline_run_url",
  "pipeline_step",
  "commit_sha",
  "committed_at",
  "triggered_by",
  "reported_by_id",
  "change_id",
  "authorized",
  "unauthorized_reason",
  "reasons",
  "created_at",
  "updated_at",
] as const;

/** The artifacts each deployed change approved: its release and the one its backout redeploys. */
export const ARTIFACT_COLUMNS = [
  "id",
  "change_id",
  "name",
  "version",
  "digest",
  "source_commit",
  "scan_scanner",
  "scanned_at",
  "scan_critical",
  "scan_high",
  "scan_medium",
  "scan_low",
  "scan_known_exploited",
  "created_at",
] as const;

type Reason = { code: string; message: string };
type Options = {
  played: ChangeRows[];
  ciIds: Record<string, string>;
  r: Random;
  cutoff: number;
  reporter: Person;
  freezes: { startsAt: number; endsAt: number; reason: string }[];
  plan: (at: number, event: PlannedEvent) => void;
};

const sha = (text: string) => createHash("sha256").update(text).digest("hex");

export function planDemoDeployments({ played, ciIds, r, cutoff, reporter, freezes, plan }: Options): {
  deployments: unknown[][];
  artifacts: unknown[][];
} {
  const rows: unknown[][] = [];
  const artifacts: unknown[][] = [];
  const approve = (changeId: string, ci: string, version: string, digest: string, commit: string, at: number) =>
    artifacts.push([
      r.uuid(),
      changeId,
      ci,
      version,
      `sha256:${digest}`,
      commit,
      "trivy",
      new Date(at),
      0,
      r.int(0, 3),
      r.int(0, 9),
      r.int(0, 20),
      0,
      new Date(at),
    ]);
  const names = Object.fromEntries(Object.entries(ciIds).map(([name, id]) => [id, name]));
  let run = 4100;
  const deploy = (d: {
    ci: string;
    environment: string;
    status: "succeeded" | "failed" | "rolled_back";
    startedAt: number;
    finishedAt: number;
    digest: string;
    commit: string;
    committedAt: number | null;
    changeId: string | null;
    reasons: Reason[];
    triggeredBy: string;
  }) => {
    if (d.finishedAt >= cutoff) return;
    const id = r.uuid();
    run += r.int(1, 9);
    const url = `https://ci.demo.local/platform/${d.ci}/-/pipelines/${run}`;
    const step = `deploy-${d.environment}`;
    const reported = d.finishedAt + r.int(5, 40) * 1_000;
    rows.push([
      id,
      d.environment,
      ciIds[d.ci],
      d.ci,
      pgTextArray([`sha256:${d.digest}`]),
      d.status,
      new Date(d.startedAt),
      new Date(d.finishedAt),
      url,
      step,
      d.commit,
      d.committedAt === null ? null : new Date(d.committedAt),
      d.triggeredBy,
      reporter.id,
      d.changeId,
      d.reasons.length === 0,
      d.reasons[0]?.code ?? null,
      JSON.stringify(d.reasons),
      new Date(reported),
      new Date(reported),
    ]);
    plan(reported, {
      actor: reporter,
      action: "deployment.recorded",
      entityType: "deployment",
      entityId: id,
      changeId: d.changeId,
      before: null,
      after: {
        environment: d.environment,
        ciName: d.ci,
        digests: [`sha256:${d.digest}`],
        status: d.status,
        pipelineRunUrl: url,
        pipelineStep: step,
        authorized: d.reasons.length === 0,
        reasons: d.reasons as unknown as Json,
      },
    });
  };
  const someone = () => r.pick(["ines.implementer", "leo.lead", "release-bot"]);

  // ---- Each implemented change of a deployable CI: staging first, then production in its window.
  const software = played.filter((p) => p.change.implemented_at && p.ciIds.some((id) => DEPLOYABLE.has(names[id]!)));
  for (const p of software) {
    const c = p.change;
    const ci = names[p.ciIds.find((id) => DEPLOYABLE.has(names[id]!))!]!;
    const start = (c.implementation_started_at as Date).getTime();
    const end = (c.implemented_at as Date).getTime();
    const plannedEnd = (c.planned_end as Date | null)?.getTime() ?? end;
    const digest = sha(`${c.id}:${ci}`);
    const commit = sha(`commit:${c.id}`).slice(0, 40);
    // Most pipelines report the commit time; a few older ones do not.
    const committedAt = r.chance(0.85) ? start - r.int(6, 96) * HOUR : null;
    const staging = Math.min(start - r.int(3, 30) * HOUR, start - HOUR);
    const triggeredBy = someone();
    const environment = ENVIRONMENT[ci]!;
    const submitted = ((c.submitted_at as Date | null) ?? (c.created_at as Date)).getTime();
    const previousCommit = sha(`previous-commit:${c.id}`).slice(0, 40);
    approve(c.id as string, ci, `git-${commit.slice(0, 7)}`, digest, commit, submitted);
    approve(c.id as string, ci, `git-${previousCommit.slice(0, 7)}`, sha(`previous:${c.id}:${ci}`), previousCommit, submitted);
    // A production CI's release goes through staging first; a staging CI's only to staging.
    if (environment === "production")
      deploy({
        ci,
        environment: "staging",
        status: "succeeded",
        startedAt: staging - r.int(4, 15) * MIN,
        finishedAt: staging,
        digest,
        commit,
        committedAt: committedAt === null ? null : Math.min(committedAt, staging - HOUR),
        changeId: c.id as string,
        reasons: [],
        triggeredBy,
      });
    const outcome = c.outcome as string;
    const status = outcome === "failed" ? "failed" : outcome === "rolled_back" ? "rolled_back" : "succeeded";
    // A deployment that finished after the approved window is not covered by the approval.
    const late = end > plannedEnd;
    deploy({
      ci,
      environment,
      status,
      startedAt: start + r.int(1, 10) * MIN,
      finishedAt: end,
      digest,
      commit,
      committedAt: committedAt === null ? null : Math.min(committedAt, staging - HOUR),
      changeId: c.id as string,
      reasons: late
        ? [
            {
              code: "outside_window",
              message: `Finished after the change's approved window closed (${new Date(plannedEnd).toISOString().slice(0, 16)}Z).`,
            },
          ]
        : [],
      triggeredBy,
    });
    if (status !== "succeeded") {
      // The backout: the previous release redeployed once the service is restored.
      const back = end + r.int(25, 240) * MIN;
      deploy({
        ci,
        environment,
        status: "succeeded",
        startedAt: back - r.int(5, 12) * MIN,
        finishedAt: back,
        digest: sha(`previous:${c.id}:${ci}`),
        commit: previousCommit,
        committedAt: null,
        changeId: c.id as string,
        reasons: [],
        triggeredBy,
      });
    }
  }

  // ---- Deployments no authorized change covered.
  const first = Math.min(...software.map((p) => (p.change.implemented_at as Date).getTime()));
  const deployable = [...DEPLOYABLE].filter((ci) => ENVIRONMENT[ci] === "production");
  const workHours = (t: number) => {
    const day = Math.floor(t / DAY) * DAY;
    const weekday = new Date(day).getUTCDay();
    return day + (weekday === 0 ? DAY : weekday === 6 ? 2 * DAY : 0) + r.int(9 * 60, 17 * 60) * MIN;
  };
  for (let i = 0; i < 5; i++) {
    const at = workHours(first + Math.floor(((i + r.next()) / 5) * (cutoff - DAY - first)));
    const ci = r.pick(deployable);
    const commit = sha(`hotfix:${i}`).slice(0, 40);
    deploy({
      ci,
      environment: "production",
      status: "succeeded",
      startedAt: at - r.int(3, 9) * MIN,
      finishedAt: at,
      digest: sha(`hotfix-digest:${i}`),
      commit,
      committedAt: at - r.int(20, 90) * MIN,
      changeId: null,
      reasons: [{ code: "no_change", message: `No scheduled or implementing change covers ${ci} in production.` }],
      triggeredBy: r.pick(["leo.lead", "dev.oncall"]),
    });
  }
  // A rebuilt image pushed under an approved change: the digest is not the one the CAB approved.
  for (const p of r.sample(
    software.filter((s) => s.change.outcome === "successful"),
    2,
  )) {
    const ci = names[p.ciIds.find((id) => DEPLOYABLE.has(names[id]!))!]!;
    const at = (p.change.implemented_at as Date).getTime() + r.int(20, 50) * MIN;
    deploy({
      ci,
      environment: ENVIRONMENT[ci]!,
      status: "succeeded",
      startedAt: at - 6 * MIN,
      finishedAt: at,
      digest: sha(`rebuilt:${p.change.id}`),
      commit: sha(`rebuilt-commit:${p.change.id}`).slice(0, 40),
      committedAt: at - 2 * HOUR,
      changeId: p.change.id as string,
      reasons: [{ code: "digest_not_approved", message: "The deployed digest is not among the change's approved artifacts." }],
      triggeredBy: "release-bot",
    });
  }
  // One deploy in the middle of a past freeze.
  const frozen = freezes.find((f) => f.endsAt < cutoff);
  if (frozen) {
    const at = frozen.startsAt + DAY + 14 * HOUR;
    deploy({
      ci: "web-frontend",
      environment: "production",
      status: "succeeded",
      startedAt: at - 7 * MIN,
      finishedAt: at,
      digest: sha("freeze-deploy"),
      commit: sha("freeze-commit").slice(0, 40),
      committedAt: at - 5 * HOUR,
      changeId: null,
      reasons: [
        { code: "in_freeze", message: `Inside the freeze “${frozen.reason}”.` },
        { code: "no_change", message: "No scheduled or implementing change covers web-frontend in production." },
      ],
      triggeredBy: "dev.oncall",
    });
  }
  return { deployments: rows, artifacts };
}
