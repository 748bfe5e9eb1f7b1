import type { Metadata } from "next";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import { parseMetricsParams } from "@/lib/domain/metrics-params";
import type { Params } from "@/lib/domain/search-params";
import { MetricBarChart } from "@/components/metrics/metrics-charts";
import { PageHeader } from "@/components/ui/page-header";
import { CHANGE_STATE_LABELS } from "@/lib/domain/change-states";
import { CHANGE_TYPE_LABELS } from "@/lib/domain/change-types";
import { CRITICALITY_LABELS } from "@/lib/domain/ci-rules";
import { isoDay, utcDay } from "@/lib/domain/calendar-range";
import { REVIEW_DEADLINE_DAYS } from "@/lib/domain/notification-kinds";
import { requirePage } from "@/lib/server/auth/current-actor";
import { changeMetrics, type Rate, type Spread } from "@/lib/server/metrics/change-metrics";
import { DoraSection } from "@/components/metrics/dora-section";
import { ALL_ENVIRONMENTS, parseDoraParams } from "@/lib/domain/dora-params";
import { doraMetrics } from "@/lib/server/metrics/dora-metrics";

export const metadata: Metadata = { title: "Metrics" };

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toLocaleString("en-GB", { maximumFractionDigits: 1 })}%`);
const hrs = (h: number | null) =>
  h === null
    ? "—"
    : h < 1
      ? `${(h * 60).toLocaleString("en-GB", { maximumFractionDigits: 1 })} min`
      : h < 48
        ? `${h.toLocaleString("en-GB", { maximumFractionDigits: 1 })} h`
        : `${(h / 24).toLocaleString("en-GB", { maximumFractionDigits: 1 })} days`;
const rateData = <T,>(rows: (T & Rate)[], label: (r: T) => string) =>
  rows.map((r) => ({ label: label(r), value: (r.rate ?? 0) * 100, note: `${r.succeeded} of ${r.total}` }));

function Figure({ label, value, detail }: { label: string; value: string; detail: string }) {
  return (
    <div className="rounded-lg bg-white p-4 ring-1 ring-slate-200">
      <dt className="text-xs font-medium uppercase tracking-wider text-slate-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold text-slate-900">{value}</dd>
      <dd className="mt-0.5 text-xs text-slate-500">{detail}</dd>
    </div>
  );
}

const spreadText = (s: Spread) => `median ${hrs(s.median)}, 90th percentile ${hrs(s.p90)}, ${s.count} change${s.count === 1 ? "" : "s"}`;

export default async function MetricsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/metrics");
  const query = await searchParams;
  const { from, to, end } = parseMetricsParams(query, utcDay(new Date()));
  const dora = parseDoraParams(query);
  // The chosen days are whole UTC days, the last one included; the change and the deployment figures are read side by side.
  const [m, d] = await Promise.all([
    changeMetrics(actor, { start: from, end }),
    doraMetrics(actor, { start: from, end }, { environment: dora.environment, ciName: dora.ciName }),
  ]);
  // A chosen value the data no longer holds stays in the list, so the form shows what is applied.
  const environments = [...new Set([...d.environments, "production", ...(dora.environment ? [dora.environment] : [])])].sort();
  const cis = [...new Set([...d.cis, ...(dora.ciName ? [dora.ciName] : [])])].sort();
  return (
    <>
      <PageHeader
        title="Metrics"
        description="How change enablement performs over the chosen period (UTC days, both ends included). Backlog and overdue reviews are as of now."
      />
      <Form className="mb-6 flex flex-wrap items-end gap-2" action="/metrics">
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-600">From</span>
          <input
            type="date"
            name="from"
            defaultValue={isoDay(from)}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
        </label>
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-600">To</span>
          <input
            type="date"
            name="to"
            defaultValue={isoDay(to)}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
        </label>
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-600">Deployments to</span>
          <select
            key={dora.env}
            name="env"
            defaultValue={dora.env}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            <option value={ALL_ENVIRONMENTS}>All environments</option>
            {environments.map((e) => (
              <option key={e} value={e}>
                {e}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-600">Deployed CI</span>
          <select
            key={dora.ciName ?? ""}
            name="ci"
            defaultValue={dora.ciName ?? ""}
            className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            <option value="">Any CI</option>
            {cis.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <SearchButton>Show period</SearchButton>
      </Form>
      <dl className="mb-6 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Figure
          label="Emergency change rate"
          value={pct(m.emergencyRate.rate)}
          detail={`${m.emergencyRate.emergencies} of ${m.emergencyRate.submitted} submitted`}
        />
        <Figure
          label="Rework rate"
          value={pct(m.reworkRate.rate)}
          detail={`${m.reworkRate.reworked} of ${m.reworkRate.submitted} submitted were returned`}
        />
        <Figure
          label="CAB cycle time (median)"
          value={hrs(m.cabCycleHours.median)}
          detail={`submitted → authorized; ${spreadText(m.cabCycleHours)}`}
        />
        <Figure
          label="Lead time (median)"
          value={hrs(m.leadTimeHours.median)}
          detail={`submitted → implemented; ${spreadText(m.leadTimeHours)}`}
        />
        <Figure label="Mean time to restore" value={hrs(m.mttrHours.mean)} detail={`failed or rolled-back changes: ${m.mttrHours.count}`} />
        <Figure
          label="Reviews overdue"
          value={String(m.reviewsOverdue)}
          detail={`in review more than ${REVIEW_DEADLINE_DAYS} days after implementation`}
        />
        <Figure
          label="Open backlog"
          value={String(m.backlog.reduce((n, b) => n + b.count, 0))}
          detail="changes not closed, rejected or cancelled"
        />
      </dl>
      <div className="grid gap-4 lg:grid-cols-2">
        <MetricBarChart
          title="Success rate by change type"
          unit="%"
          max={100}
          data={rateData(m.successByType, (r) => CHANGE_TYPE_LABELS[r.type])}
        />
        <MetricBarChart
          title="Success rate by CI criticality tier"
          unit="%"
          max={100}
          color="#0d9488"
          data={rateData(m.successByTier, (r) => CRITICALITY_LABELS[r.tier] ?? String(r.tier))}
        />
        <MetricBarChart
          title="Cycle and lead time (hours)"
          unit="h"
          color="#d97706"
          data={[
            { label: "CAB median", value: m.cabCycleHours.median ?? 0 },
            { label: "CAB p90", value: m.cabCycleHours.p90 ?? 0 },
            { label: "Lead median", value: m.leadTimeHours.median ?? 0 },
            { label: "Lead p90", value: m.leadTimeHours.p90 ?? 0 },
          ].filter(() => m.cabCycleHours.count + m.leadTimeHours.count > 0)}
        />
        <MetricBarChart
          title="Backlog by state"
          unit="changes"
          color="#64748b"
          data={m.backlog.map((b) => ({ label: CHANGE_STATE_LABELS[b.state], value: b.count }))}
        />
      </div>
      <DoraSection
        m={d}
        scope={`${dora.environment ? `to ${dora.environment}` : "to every environment"}${dora.ciName ? `, of ${dora.ciName}` : ""}`}
      />
    </>
  );
}
