import type { Metadata } from "next";
import { can } from "@/lib/domain/capabilities";
import Link from "next/link";
import { ChangeFilters } from "@/components/changes/change-filters";
import { NextPage } from "@/components/ui/next-page";
import { ChangeTable } from "@/components/changes/change-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { parseChangeFilters } from "@/lib/domain/change-list-params";
import { listChanges } from "@/lib/server/changes/list-changes";

export const metadata: Metadata = { title: "All changes" };

export default async function AllChangesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("/changes");
  const filters = parseChangeFilters(await searchParams);
  const { rows, nextCursor } = await listChanges(actor, filters);
  const filtered = Boolean(filters.q || filters.type || filters.state || filters.risk);
  return (
    <>
      <PageHeader title="All changes" description="Every change request, newest first." />
      <ChangeFilters path="/changes" filters={filters} />
      <ChangeTable
        rows={rows}
        emptyMessage={
          filtered ? (
            <>
              No change matches these filters.{" "}
              <Link href="/changes" className="text-indigo-700 underline">
                Clear the filters
              </Link>
              , or search for fewer words.
            </>
          ) : can(actor.roles, "change.request") ? (
            <>
              No changes yet.{" "}
              <Link href="/changes/new" className="text-indigo-700 underline">
                File a change
              </Link>
              .
            </>
          ) : (
            "No change has been filed yet. Changes appear here as soon as a requester files one."
          )
        }
      />
      <NextPage path="/changes" keep={{ ...filters, after: undefined }} after={filters.after} nextCursor={nextCursor} />
    </>
  );
}
