// The four DORA figures from the deployment records pipelines report (docs/dora-metrics.md). Pure:
// lib/server/metrics/dora-metrics.ts reads a bounded set of rows, these functions decide.
// Definitions, over the deployments that finished in the period (started ones are still running):
// - a deployment's time is when it finished, else when it started, else when it was reported;
// - deployment frequency: succeeded deployments per day of the period;
// - lead time for changes: for succeeded deployments whose commit time is known, commit → deployed;
// - change failure rate: failed or rolled-back deployments out of all finished ones;
// - failed-deployment recovery time: a failure episode of one CI in one environment starts with a
//   failed or rolled-back deployment after a succeeded one (or the first ever) and ends with the next
//   succeeded deployment of the same CI and environment; its recovery time is end − start. Episodes
//   are counted in the period they start in; one not yet ended is "unrecovered".

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type DeploymentOutcome = "started" | "succeeded" | "failed" | "rolled_back";

export type DoraDeployment = {
  environment: string;
  ciName: string;
  status: DeploymentOutcome;
  at: Date;
  committedAt: Date | null;
  authorized: boolean;
};

export type Spread = { count: number; median: number | null; p90: number | null };

export type DoraFigures = {
  /** Finished deployments (succeeded, failed or rolled back). */
  deployments: number;
  succeeded: number;
  /** Succeeded deployments per day of the period. */
  perDay: number;
  leadTimeHours: Spread;
  failure: { failed: number; finished: number; rate: number | null };
  recoveryHours: Spread & { unrecovered: number };
  unauthorized: number;
};

export type Period = { start: Date; end: Date };

const failed = (d: DoraDeployment) => d.status === "failed" || d.status === "rolled_back";
const inside = (t: Date, p: Period) => t >= p.start && t < p.end;

/** The value below which a share p of the values lies, interpolated as PostgreSQL's percentile_cont. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const low = Math.floor(pos);
  const high = Math.ceil(pos);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (pos - low);
}

const spread = (values: number[]): Spread => ({ count: values.length, median: percentile(values, 0.5), p90: percentile(values, 0.9) });

export type Episode = { environment: string; ciName: string; start: Date; end: Date | null };

/**
 * Failure episodes, one per CI and environment run of failures, from deployments in any order.
 * Deployments outside the period may be given as context: the one before it tells whether a failure
 * continues an episode, the ones after it end episodes that started inside.
 */
export function failureEpisodes(deployments: DoraDeployment[]): Episode[] {
  const byTarget = new Map<string, DoraDeployment[]>();
  for (const d of deployments) {
    if (d.status === "started") continue;
    const key = JSON.stringify([d.environment, d.ciName]);
    byTarget.set(key, [...(byTarget.get(key) ?? []), d]);
  }
  const episodes: Episode[] = [];
  for (const list of byTarget.values()) {
    list.sort((a, b) => a.at.getTime() - b.at.getTime());
    let open: Episode | null = null;
    for (const d of list) {
      if (failed(d) && !open) {
        open = { environment: d.environment, ciName: d.ciName, start: d.at, end: null };
        episodes.push(open);
      } else if (d.status === "succeeded" && open) {
        open.end = d.at;
        open = null;
      }
    }
  }
  return episodes.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** The four figures (and the unauthorized count) over the period; deployments outside it serve as context only. */
export function doraFigures(deployments: DoraDeployment[], period: Period): DoraFigures {
  const finished = deployments.filter((d) => d.status !== "started" && inside(d.at, period));
  const succeeded = finished.filter((d) => d.status === "succeeded");
  const failures = finished.filter(failed).length;
  const days = Math.max((period.end.getTime() - period.start.getTime()) / DAY, 1);
  const episodes = failureEpisodes(deployments).filter((e) => inside(e.start, period));
  const recovered = episodes.filter((e) => e.end);
  return {
    deployments: finished.length,
    succeeded: succeeded.length,
    perDay: succeeded.length / days,
    leadTimeHours: spread(succeeded.filter((d) => d.committedAt).map((d) => (d.at.getTime() - d.committedAt!.getTime()) / HOUR)),
    failure: { failed: failures, finished: finished.length, rate: finished.length ? failures / finished.length : null },
    recoveryHours: {
      ...spread(recovered.map((e) => (e.end!.getTime() - e.start.getTime()) / HOUR)),
      unrecovered: episodes.length - recovered.length,
    },
    unauthorized: deployments.filter((d) => inside(d.at, period) && !d.authorized).length,
  };
}

export type DoraGroup = { environment: string; ciName: string; figures: DoraFigures };

/** The figures for each environment and CI that deployed in the period, by environment then CI. */
export function doraByTarget(deployments: DoraDeployment[], period: Period): DoraGroup[] {
  const keys = new Map<string, { environment: string; ciName: string }>();
  for (const d of deployments)
    if (inside(d.at, period)) keys.set(JSON.stringify([d.environment, d.ciName]), { environment: d.environment, ciName: d.ciName });
  return [...keys.values()]
    .sort((a, b) => a.environment.localeCompare(b.environment) || a.ciName.localeCompare(b.ciName))
    .map((k) => ({
      ...k,
      figures: doraFigures(
        deployments.filter((d) => d.environment === k.environment && d.ciName === k.ciName),
        period,
      ),
    }));
}

export type DoraWeek = { weekStart: Date; figures: DoraFigures };

/** The Monday (UTC) of the week an instant falls in. */
export function weekStart(t: Date): Date {
  const day = Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate());
  return new Date(day - ((new Date(day).getUTCDay() + 6) % 7) * DAY);
}

/** The figures week by week (Monday to Monday, UTC), each week cut to the period, for the trend charts. */
export function doraTrend(deployments: DoraDeployment[], period: Period): DoraWeek[] {
  const weeks: DoraWeek[] = [];
  for (let w = weekStart(period.start); w < period.end; w = new Date(w.getTime() + 7 * DAY)) {
    const cut = {
      start: new Date(Math.max(w.getTime(), period.start.getTime())),
      end: new Date(Math.min(w.getTime() + 7 * DAY, period.end.getTime())),
    };
    weeks.push({ weekStart: w, figures: doraFigures(deployments, cut) });
  }
  return weeks;
}
