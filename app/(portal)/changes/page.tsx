import type { Metadata } from "next";
import { ChangeFilters } from "@/components/changes/change-filters";
import { NextPage } from "@/components/ui/next-page";
import { ChangeTable } from "@/components/changes/change-table";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { parseChangeFilters } from "@/lib/domain/change-list-params";
import { listChanges } from "@/lib/server/changes/list-changes";

export const metadata: Metadata = { title: "All changes" };

export default async function AllChangesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePage("/changes");
  const filters = parseChangeFilters(await searchParams);
  const { rows, nextCursor } = await listChanges(filters);
  const filtered = Boolean(filters.q || filters.type || filters.state || filters.risk);
  return (
    <>
      <PageHeader title="All changes" description="Every change request, newest first." />
      <ChangeFilters path="/changes" filters={filters} />
      <ChangeTable rows={rows} emptyMessage={filtered ? "No change matches these filters." : "No change has been filed yet."} />
      <NextPage path="/changes" keep={{ ...filters, after: undefined }} after={filters.after} nextCursor={nextCursor} />
    </>
  );
}
