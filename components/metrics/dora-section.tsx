import { MetricBarChart } from "@/components/metrics/metrics-charts";
import { DataTable } from "@/components/ui/data-table";
import type { DoraFigures, Spread } from "@/lib/domain/dora-metrics";
import type { DoraMetrics } from "@/lib/server/metrics/dora-metrics";

const number = (n: number, digits = 1) => n.toLocaleString("en-GB", { maximumFractionDigits: digits });
const pct = (r: number | null) => (r === null ? "—" : `${number(r * 100)}%`);
export const hours = (h: number | null) =>
  h === null ? "—" : h < 1 ? `${number(h * 60)} min` : h < 48 ? `${number(h)} h` : `${number(h / 24)} days`;
const frequency = (f: DoraFigures) => (f.perDay >= 1 || f.perDay === 0 ? `${number(f.perDay)} a day` : `${number(f.perDay * 7)} a week`);
const spread = (s: Spread, what: string) => `median; 90th percentile ${hours(s.p90)}; ${s.count} ${what}`;
const week = (d: Date) => d.toISOString().slice(5, 10);

function Figure({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <dt className="text-xs font-medium uppercase tracking-wider text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{value}</dd>
      <dd className="mt-0.5 text-xs text-slate-500">{detail}</dd>
    </div>
  );
}

/** The four DORA figures of the period, their weekly trends, and each environment and CI's own. */
export function DoraSection({ m, scope }: { m: DoraMetrics; scope: string }) {
  const f = m.figures;
  return (
    <section aria-labelledby="dora-heading" className="mt-10">
      <h2 id="dora-heading" className="text-lg font-semibold text-slate-900">
        Delivery performance (DORA)
      </h2>
      <p className="mt-1 mb-4 max-w-4xl text-sm text-slate-600">
        From the deployments pipelines report, {scope}. A deployment counts when it finished (succeeded, failed or rolled back), at its
        finish time. Lead time runs from the commit to the succeeded deployment, where the pipeline reported the commit time. A failure
        episode starts with a failed or rolled-back deployment of a CI in an environment and ends at that CI and environment&apos;s next
        succeeded deployment: its length is the recovery time, counted in the period it started in.
      </p>
      {m.truncated ? (
        <p role="status" className="mb-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          More deployments than one page reads: the figures cover the earliest ones only. Choose a shorter period or one CI.
        </p>
      ) : null}
      <dl className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Figure label="Deployment frequency" value={frequency(f)} detail={`${f.succeeded} succeeded of ${f.deployments} finished`} />
        <Figure
          label="Lead time for changes"
          value={hours(f.leadTimeHours.median)}
          detail={spread(f.leadTimeHours, "with a commit time")}
        />
        <Figure
          label="Change failure rate"
          value={pct(f.failure.rate)}
          detail={`${f.failure.failed} failed or rolled back of ${f.failure.finished}`}
        />
        <Figure
          label="Failed deployment recovery"
          value={hours(f.recoveryHours.median)}
          detail={`${spread(f.recoveryHours, "recovered")}; ${f.recoveryHours.unrecovered} not yet`}
        />
      </dl>
      <div className="grid gap-4 lg:grid-cols-2">
        <MetricBarChart
          title="Succeeded deployments per week"
          unit="deployments"
          color="#4f46e5"
          data={m.trend.map((w) => ({ label: week(w.weekStart), value: w.figures.succeeded }))}
        />
        <MetricBarChart
          title="Lead time for changes per week (median, hours)"
          unit="h"
          color="#d97706"
          data={m.trend.map((w) => ({
            label: week(w.weekStart),
            value: w.figures.leadTimeHours.median ?? 0,
            note: `${w.figures.leadTimeHours.count} deployments`,
          }))}
        />
        <MetricBarChart
          title="Change failure rate per week"
          unit="%"
          max={100}
          color="#dc2626"
          data={m.trend.map((w) => ({
            label: week(w.weekStart),
            value: (w.figures.failure.rate ?? 0) * 100,
            note: `${w.figures.failure.failed} of ${w.figures.failure.finished}`,
          }))}
        />
        <MetricBarChart
          title="Failed deployment recovery per week (median, hours)"
          unit="h"
          color="#0d9488"
          data={m.trend.map((w) => ({
            label: week(w.weekStart),
            value: w.figures.recoveryHours.median ?? 0,
            note: `${w.figures.recoveryHours.count} recovered, ${w.figures.recoveryHours.unrecovered} not yet`,
          }))}
        />
      </div>
      <h3 className="mt-6 mb-2 text-sm font-semibold text-slate-800">By environment and CI</h3>
      {m.byTarget.length === 0 ? (
        <p className="rounded-lg bg-white p-4 text-sm text-slate-500 ring-1 ring-slate-200">No deployment in this period.</p>
      ) : (
        <DataTable
          label="Delivery figures by environment and CI"
          headers={[
            "Environment",
            "CI",
            "Succeeded",
            "Per day",
            "Lead time (median)",
            "Failure rate",
            "Recovery (median)",
            "Not recovered",
            "Unauthorized",
          ]}
        >
          {m.byTarget.map((g) => (
            <tr key={`${g.environment}\n${g.ciName}`} className="hover:bg-slate-50">
              <td className="px-4 py-2.5">{g.environment}</td>
              <td className="px-4 py-2.5 font-medium">{g.ciName}</td>
              <td className="px-4 py-2.5">{g.figures.succeeded}</td>
              <td className="px-4 py-2.5">{number(g.figures.perDay, 2)}</td>
              <td className="px-4 py-2.5">{hours(g.figures.leadTimeHours.median)}</td>
              <td className="px-4 py-2.5">{pct(g.figures.failure.rate)}</td>
              <td className="px-4 py-2.5">{hours(g.figures.recoveryHours.median)}</td>
              <td className="px-4 py-2.5">{g.figures.recoveryHours.unrecovered}</td>
              <td className="px-4 py-2.5">{g.figures.unauthorized}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
