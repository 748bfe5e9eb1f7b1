import type { Metadata } from "next";
import { parseReportParams } from "@/lib/domain/queue-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { ExportDownload } from "@/components/audit/export-download";
import { notFound } from "next/navigation";
import { buttonStyles } from "@/components/ui/button-styles";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { ReportFilterForm } from "@/components/audit/report-filter-form";
import { parseReportFilters, reportBySlug } from "@/lib/domain/exception-reports";
import { requirePage } from "@/lib/server/auth/current-actor";
import { countReport, reportFilterChoices, reportQueryText, runReport } from "@/lib/server/reports/run-report";

export async function generateMetadata({ params }: { params: Promise<{ slug: string }> }): Promise<Metadata> {
  return { title: reportBySlug((await params).slug)?.title ?? "Report" };
}

// Dates stay on one line; long text gets room to wrap instead of a column one word wide.
const widthOf = (value: unknown) =>
  value instanceof Date ? "whitespace-nowrap" : typeof value === "string" && value.length > 24 ? "min-w-48" : "";
const cell = (value: unknown) =>
  value instanceof Date
    ? value.toISOString().replace("T", " ").slice(0, 16) + " UTC"
    : value === null || value === undefined
      ? ""
      : String(value);

export default async function ReportPage({ params, searchParams }: { params: Promise<{ slug: string }>; searchParams: Promise<Params> }) {
  const actor = await requirePage("/audit/reports");
  const { slug } = await params;
  const query = await searchParams;
  const { after } = parseReportParams(query);
  const definition = reportBySlug(slug);
  if (!definition) notFound();
  const { values, applied } = parseReportFilters(definition, query);
  // The page, the count and the filters' choices are separate queries: run side by side, on separate connections.
  const [page, total, choices] = await Promise.all([
    runReport(actor, slug, { after, limit: 50, filters: applied }),
    countReport(actor, slug, applied),
    definition.filters ? reportFilterChoices(actor, slug) : {},
  ]);
  if (!page) notFound();
  const { report, rows, nextCursor } = page;
  const filtered = applied.length > 0;
  const exportQuery = new URLSearchParams(values).toString();
  // The change column links to the change; reports without one link their first column.
  const linked = Math.max(
    report.columns.findIndex((c) => c.header === "change"),
    0,
  );
  return (
    <>
      <PageHeader
        title={report.title}
        description={report.finds}
        actions={
          <>
            <Link href="/audit/reports" className={buttonStyles.secondary}>
              All reports
            </Link>
            <ExportDownload
              href={`/api/audit/reports/${slug}${exportQuery ? `?${exportQuery}` : ""}`}
              label={filtered ? "Export filtered CSV" : "Export CSV"}
            />
          </>
        }
      />
      {report.filters ? <ReportFilterForm slug={slug} filters={report.filters} values={values} choices={choices} /> : null}
      <p className="mb-3 text-sm text-slate-600" role="status">
        {total === 0
          ? filtered
            ? "Count: 0. No row matches these filters."
            : `Count: 0. ${report.whenEmpty}`
          : `${total} row${total === 1 ? "" : "s"}${filtered ? (total === 1 ? " matches these filters" : " match these filters") : ""} as of now.`}
      </p>
      {rows.length === 0 ? (
        <EmptyState>{after ? "No more rows." : filtered ? "No row matches these filters." : report.whenEmpty}</EmptyState>
      ) : (
        <DataTable headers={report.columns.map((c) => c.header.replaceAll("_", " "))}>
          {rows.map((row, i) => (
            <tr key={i} className="align-top hover:bg-slate-50">
              {report.columns.map((column, j) => (
                <td
                  key={column.header}
                  className={`px-4 py-2.5 ${j === 0 ? "whitespace-nowrap font-medium" : "text-slate-700"} ${widthOf(column.value(row))}`}
                >
                  {j === linked && report.changeId?.(row) ? (
                    <Link href={`/changes/${report.changeId(row)}`} className="text-indigo-700 hover:underline">
                      {cell(column.value(row))}
                    </Link>
                  ) : (
                    cell(column.value(row))
                  )}
                </td>
              ))}
            </tr>
          ))}
        </DataTable>
      )}
      <NextPage path={`/audit/reports/${slug}`} keep={values} after={after} nextCursor={nextCursor} />
      <details className="mt-6 rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200" open={total === 0}>
        <summary className="cursor-pointer font-medium">The query behind this report</summary>
        <p className="mt-2 text-slate-600">
          Run against the live database when this page was loaded{total === 0 ? "; it returned no row" : ""}.
        </p>
        <pre className="mt-2 overflow-x-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800">{reportQueryText(slug)}</pre>
      </details>
    </>
  );
}
