import type { Metadata } from "next";
import Link from "next/link";
import { ExportDownload } from "@/components/audit/export-download";
import { HistoryFilterForm } from "@/components/audit/history-filter-form";
import { ChangeHistoryTable, EventHistoryTable } from "@/components/audit/history-tables";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import {
  activeFilters,
  HISTORY_FILTER_KEYS,
  parseHistoryParams,
  type HistoryFilters,
  type HistoryView,
} from "@/lib/domain/history-filters";
import { historyFilterOptions, searchChanges, searchEvents } from "@/lib/server/history/search-history";
import { searchHistoryCisAction, searchHistoryPeopleAction } from "./actions";

export const metadata: Metadata = { title: "Audit history" };

const VIEW_LABELS: Record<HistoryView, string> = { changes: "Changes", events: "Audit events" };

function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export default async function AuditHistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("/audit");
  const { view, after, ...rest } = parseHistoryParams(await searchParams);
  const filters: HistoryFilters = Object.fromEntries(HISTORY_FILTER_KEYS.map((k) => [k, rest[k]])) as HistoryFilters;
  const active = activeFilters(filters);
  const filtered = Object.keys(active).length > 0;
  const [options, result] = await Promise.all([
    historyFilterOptions(actor, filters),
    view === "changes" ? searchChanges(actor, filters, after) : searchEvents(actor, filters, after),
  ]);
  const exportPath = view === "changes" ? "/api/exports/changes" : "/api/exports/events";
  return (
    <>
      <PageHeader
        title="Audit history"
        description="Search every change and every audit event. Exports hold exactly what the search finds, streamed in full (not only this page), each with a signed manifest: filters, row count, SHA-256 of the file, and a signed checkpoint of the audit log."
      />
      <nav aria-label="What to search" className="mb-4 flex gap-1 border-b border-slate-200">
        {(Object.keys(VIEW_LABELS) as HistoryView[]).map((v) => (
          <Link
            key={v}
            href={`/audit?${query({ ...active, view: v })}`}
            aria-current={v === view ? "page" : undefined}
            className={`-mb-px border-b-2 px-4 py-2 text-sm font-medium ${v === view ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-600 hover:text-slate-900"}`}
          >
            {VIEW_LABELS[v]}
          </Link>
        ))}
      </nav>
      <HistoryFilterForm
        view={view}
        filters={filters}
        options={options}
        search={{ cis: searchHistoryCisAction, people: searchHistoryPeopleAction }}
      />
      <section aria-label="Export" className="mb-4 flex flex-wrap items-start gap-4">
        <ExportDownload href={`${exportPath}?${query({ ...active, format: "csv" })}`} label="Export CSV" />
        <ExportDownload href={`${exportPath}?${query({ ...active, format: "jsonl" })}`} label="Export JSON Lines" />
      </section>
      {view === "changes" ? (
        <ChangeHistoryTable
          rows={result.rows as Awaited<ReturnType<typeof searchChanges>>["rows"]}
          emptyMessage={
            filtered
              ? "No change matches this search. Widen the dates, use fewer words, or clear the filters."
              : "No change has been filed yet."
          }
        />
      ) : (
        <EventHistoryTable
          rows={result.rows as Awaited<ReturnType<typeof searchEvents>>["rows"]}
          emptyMessage={
            filtered
              ? "No audit event matches this search. Widen the dates, use fewer words, or clear the filters."
              : "The audit log is empty."
          }
        />
      )}
      <NextPage path="/audit" keep={{ ...active, view }} after={after} nextCursor={result.nextCursor} />
    </>
  );
}
