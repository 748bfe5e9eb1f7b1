import type { Metadata } from "next";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import Link from "next/link";
import { TypeBadge, StateBadge } from "@/components/changes/change-badges";
import { RiskBadge } from "@/components/changes/risk-badge";
import { CalendarGrid, CalendarLegend } from "@/components/schedule/calendar-grid";
import { FreezeScopeBadge } from "@/components/schedule/freeze-scope-badge";
import { buttonStyles } from "@/components/ui/button-styles";
import { FilterSelect } from "@/components/ui/filter-select";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { calendarDays, isoDay, shiftAnchor, utcDay, type CalendarView } from "@/lib/domain/calendar-range";
import { CHANGE_TYPE_LABELS, CHANGE_TYPES } from "@/lib/domain/change-types";
import { changeReference } from "@/lib/domain/change-visibility";
import { RISK_LEVEL_LABELS, RISK_LEVELS } from "@/lib/domain/risk-levels";
import { formatUtc, formatUtcRange } from "@/lib/domain/utc-time";
import { requirePage } from "@/lib/server/auth/current-actor";
import { parseCalendarParams, type CalendarFilters } from "@/lib/domain/calendar-params";
import { calendarEnvironments, calendarWindow, forwardSchedule } from "@/lib/server/schedule/calendar";
import type { Actor } from "@/lib/server/auth/current-actor";

export const metadata: Metadata = { title: "Change calendar" };
const VIEW_LABELS: Record<CalendarView, string> = { month: "Month", week: "Week", list: "Forward schedule" };

function href(filters: CalendarFilters, change: Partial<CalendarFilters>) {
  const params = new URLSearchParams(
    Object.entries({ ...filters, after: undefined, ...change }).filter(
      (e): e is [string, string] => typeof e[1] === "string" && e[1] !== "",
    ),
  );
  return `/calendar?${params}`;
}

export default async function CalendarPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("/calendar");
  const filters = parseCalendarParams(await searchParams);
  const anchor = filters.date ? new Date(`${filters.date}T00:00:00Z`) : utcDay(new Date());
  const environments = await calendarEnvironments();
  const view = filters.view;
  return (
    <>
      <PageHeader
        title="Change calendar"
        description="Scheduled and implementing changes, with freeze windows shaded. Times and days are UTC."
      />
      <nav aria-label="Calendar views" className="mb-3 flex flex-wrap gap-2">
        {(["month", "week", "list"] as const).map((v) => (
          <Link
            key={v}
            href={href(filters, { view: v })}
            aria-current={v === view ? "page" : undefined}
            className={v === view ? buttonStyles.primary : buttonStyles.secondary}
          >
            {VIEW_LABELS[v]}
          </Link>
        ))}
      </nav>
      <Form role="search" className="mb-4 flex flex-wrap items-end gap-2" action="/calendar">
        <input type="hidden" name="view" value={view} />
        {filters.date ? <input type="hidden" name="date" value={filters.date} /> : null}
        <FilterSelect name="env" label="Environment" value={filters.env} any="Any environment" options={environments} />
        <label className="text-sm">
          <span className="block text-xs font-medium text-slate-600">Configuration item</span>
          <input
            name="ci"
            defaultValue={filters.ci}
            placeholder="Name contains"
            className="w-44 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
        </label>
        <FilterSelect name="type" label="Type" value={filters.type} any="Any type" options={CHANGE_TYPES} labels={CHANGE_TYPE_LABELS} />
        <FilterSelect name="risk" label="Risk" value={filters.risk} any="Any risk" options={RISK_LEVELS} labels={RISK_LEVEL_LABELS} />
        <SearchButton>Apply</SearchButton>
      </Form>
      {view === "list" ? (
        <ForwardSchedule viewer={actor} filters={filters} />
      ) : (
        <GridView viewer={actor} view={view} anchor={anchor} filters={filters} />
      )}
    </>
  );
}

async function GridView({
  viewer,
  view,
  anchor,
  filters,
}: {
  viewer: Actor;
  view: "month" | "week";
  anchor: Date;
  filters: CalendarFilters;
}) {
  const days = calendarDays(view, anchor);
  const range = { start: days[0]!, end: new Date(days.at(-1)!.getTime() + 86_400_000) };
  const { changes, freezes } = await calendarWindow(viewer, range, filters);
  const title =
    view === "month"
      ? anchor.toLocaleDateString("en-GB", { month: "long", year: "numeric", timeZone: "UTC" })
      : `Week of ${days[0]!.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" })}`;
  return (
    <>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">{title}</h2>
        <div className="flex gap-2">
          <Link href={href(filters, { date: isoDay(shiftAnchor(view, anchor, -1)) })} className={buttonStyles.secondary}>
            ← Previous
          </Link>
          <Link href={href(filters, { date: undefined })} className={buttonStyles.secondary}>
            Today
          </Link>
          <Link href={href(filters, { date: isoDay(shiftAnchor(view, anchor, 1)) })} className={buttonStyles.secondary}>
            Next →
          </Link>
        </div>
      </div>
      <CalendarGrid
        days={days}
        month={view === "month" ? anchor.getUTCMonth() : null}
        changes={changes}
        freezes={freezes}
        detailed={view === "week"}
      />
      <CalendarLegend />
      {changes.length === 0 ? (
        <p className="mt-3 text-sm text-slate-600">
          No scheduled or implementing change {filters.env || filters.ci || filters.type || filters.risk ? "matches the filters " : ""}in
          this {view}.
        </p>
      ) : null}
      {freezes.length ? (
        <ul className="mt-4 space-y-1 text-sm" aria-label="Freeze windows in view">
          {freezes.map((f) => (
            <li key={f.id}>
              <FreezeScopeBadge scope={f.scope} environments={[...f.environments]} tags={[...f.tags]} />{" "}
              <span className="font-medium">{f.reason}</span> <span className="text-slate-600">{formatUtcRange(f.start, f.end)}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}

async function ForwardSchedule({ viewer, filters }: { viewer: Actor; filters: CalendarFilters }) {
  const { rows, freezes, nextCursor } = await forwardSchedule(viewer, filters);
  return (
    <>
      {freezes.length ? (
        <ul className="mb-4 space-y-1 text-sm" aria-label="Coming freeze windows">
          {freezes.map((f) => (
            <li key={f.id} className="rounded-md bg-rose-50 px-3 py-2 ring-1 ring-rose-200">
              <span className="font-medium">Freeze: {f.reason}</span>{" "}
              <span className="text-slate-700">{formatUtcRange(f.start, f.end)}</span>{" "}
              <FreezeScopeBadge scope={f.scope} environments={[...f.environments]} tags={[...f.tags]} />
            </li>
          ))}
        </ul>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState>
          No scheduled or implementing change ahead{filters.env || filters.ci || filters.type || filters.risk ? " matches the filters" : ""}
          .
        </EmptyState>
      ) : (
        <DataTable headers={["Starts", "Ends", "Change", "Type", "Risk", "State", "Configuration items"]}>
          {rows.map((c) => (
            <tr key={c.id}>
              <td className="whitespace-nowrap px-4 py-2.5">{formatUtc(c.planned_start)}</td>
              <td className="whitespace-nowrap px-4 py-2.5">{formatUtc(c.planned_end)}</td>
              <td className="min-w-64 px-4 py-2.5">
                {c.canOpen ? (
                  <Link href={`/changes/${c.id}`} className="font-medium text-indigo-700 hover:underline">
                    {c.title}
                  </Link>
                ) : (
                  <span className="font-medium">{c.title}</span>
                )}
                <span className="block font-mono text-xs text-slate-500">{changeReference(c.number)}</span>
              </td>
              <td className="px-4 py-2.5">
                <TypeBadge type={c.type} />
              </td>
              <td className="px-4 py-2.5">
                <RiskBadge level={c.risk_level} score={null} />
              </td>
              <td className="px-4 py-2.5">
                <StateBadge state={c.state} />
              </td>
              <td className="px-4 py-2.5 text-slate-600">{c.ci_names.join(", ")}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <NextPage path="/calendar" keep={{ ...filters, after: undefined }} after={filters.after} nextCursor={nextCursor} />
    </>
  );
}
