import type { Metadata } from "next";
import Link from "next/link";
import { ChangeFilters } from "@/components/changes/change-filters";
import { NextPage } from "@/components/ui/next-page";
import { ChangeTable } from "@/components/changes/change-table";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { parseChangeFilters } from "@/lib/domain/change-list-params";
import { listChanges } from "@/lib/server/changes/list-changes";

export const metadata: Metadata = { title: "My changes" };

export default async function MyChangesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const actor = await requirePage("/changes/mine");
  const filters = parseChangeFilters(await searchParams);
  const { rows, nextCursor } = await listChanges(actor, filters, { mine: true });
  const filtered = Boolean(filters.q || filters.type || filters.state || filters.risk);
  return (
    <>
      <PageHeader
        title="My changes"
        description="The changes you requested, newest first."
        actions={
          <Link href="/changes/new" className={buttonStyles.primary}>
            New change
          </Link>
        }
      />
      <ChangeFilters path="/changes/mine" filters={filters} />
      <ChangeTable
        rows={rows}
        showRequester={false}
        emptyMessage={
          filtered ? (
            <>
              None of your changes matches these filters.{" "}
              <Link href="/changes/mine" className="text-indigo-700 underline">
                Clear the filters
              </Link>
              .
            </>
          ) : (
            <>
              You have not requested a change yet.{" "}
              <Link href="/changes/new" className="text-indigo-700 underline">
                File your first one.
              </Link>
            </>
          )
        }
      />
      <NextPage path="/changes/mine" keep={{ ...filters, after: undefined }} after={filters.after} nextCursor={nextCursor} />
    </>
  );
}
