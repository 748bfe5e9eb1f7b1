import type { Metadata } from "next";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { EXCEPTION_REPORTS } from "@/lib/domain/exception-reports";
import { requirePage } from "@/lib/server/auth/current-actor";
import { auditSettings } from "@/lib/server/audit/audit-settings";
import { countReport } from "@/lib/server/reports/run-report";

export const metadata: Metadata = { title: "Exception reports" };

export default async function ReportsPage() {
  const actor = await requirePage("/audit/reports");
  const counts = await Promise.all(EXCEPTION_REPORTS.map((r) => countReport(actor, r.slug)));
  const { retentionDays } = auditSettings();
  return (
    <>
      <PageHeader
        title="Exception reports"
        description="What an auditor looks for first: each report on its own page, with the query it runs, and as CSV. Counts are as of now."
      />
      <ul className="grid gap-4 md:grid-cols-2">
        {EXCEPTION_REPORTS.map((report, i) => (
          <li key={report.slug} className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <div className="flex items-start justify-between gap-3">
              <h2 className="font-semibold">
                <Link href={`/audit/reports/${report.slug}`} className="text-indigo-700 hover:underline">
                  {report.title}
                </Link>
              </h2>
              <Badge tone={counts[i] ? (report.slug === "access-review" ? "info" : "warn") : "good"}>
                {counts[i] === 1 ? "1 row" : `${counts[i]} rows`}
              </Badge>
            </div>
            <p className="mt-2 text-sm text-slate-600">{report.finds}</p>
          </li>
        ))}
      </ul>
      <p className="mt-6 text-sm text-slate-600">
        Audit events are kept for {Intl.NumberFormat("en").format(retentionDays)} days (about {Math.round(retentionDays / 365)} years) and
        never deleted by the application; archiving is an export. See{" "}
        <Link href="/audit/verify" className="text-indigo-700 underline hover:text-indigo-900">
          Verify audit log
        </Link>
        .
      </p>
    </>
  );
}
