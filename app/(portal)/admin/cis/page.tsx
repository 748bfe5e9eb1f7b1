import type { Metadata } from "next";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import { parseCiListParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { CriticalityBadge, ExposureBadge } from "@/components/cis/ci-badges";
import { Badge } from "@/components/ui/badge";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listCis } from "@/lib/server/cis/list-cis";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";

export const metadata: Metadata = { title: "Configuration items" };

export default async function CisPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/admin/cis");
  const { q, after } = parseCiListParams(await searchParams);
  const { rows, nextCursor } = await listCis(actor, { query: q, after });
  return (
    <>
      <PageHeader
        title="Configuration items"
        description="What changes touch: criticality and exposure feed the risk score, and dependencies give each change its blast radius."
        actions={
          <Link href="/admin/cis/new" className={buttonStyles.primary}>
            New configuration item
          </Link>
        }
      />
      <Form action="/admin/cis" className="mb-4 flex gap-2" role="search">
        <label htmlFor="ci-search" className="sr-only">
          Search configuration items
        </label>
        <input
          id="ci-search"
          name="q"
          defaultValue={q}
          placeholder="Search by name, environment or tag"
          className="w-80 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        />
        <SearchButton>Search</SearchButton>
        {q ? (
          <Link href="/admin/cis" className={buttonStyles.secondary}>
            Clear
          </Link>
        ) : null}
      </Form>
      {rows.length === 0 ? (
        <EmptyState>
          {q ? (
            <>
              No configuration item matches “{q}”.{" "}
              <Link href="/admin/cis" className="text-indigo-700 underline">
                Clear the search
              </Link>
              , or{" "}
              <Link href="/admin/cis/new" className="text-indigo-700 underline">
                add it
              </Link>
              .
            </>
          ) : after ? (
            <>
              No more configuration items.{" "}
              <Link href="/admin/cis" className="text-indigo-700 underline">
                Back to the first page
              </Link>
              .
            </>
          ) : (
            <>
              No configuration items yet.{" "}
              <Link href="/admin/cis/new" className="text-indigo-700 underline">
                Add the systems your changes touch
              </Link>
              , starting with the most critical.
            </>
          )}
        </EmptyState>
      ) : (
        <DataTable headers={["Name", "Type", "Environment", "Owner", "Criticality", "Exposure", "Tags"]}>
          {rows.map((ci) => (
            <tr key={ci.id} className="hover:bg-slate-50">
              <td className="px-4 py-2.5 font-medium">
                <Link href={`/admin/cis/${ci.id}`} className="text-indigo-700 hover:underline">
                  {ci.name}
                </Link>
              </td>
              <td className="px-4 py-2.5 text-slate-600">{ci.type}</td>
              <td className="px-4 py-2.5 text-slate-600">{ci.environment}</td>
              <td className="px-4 py-2.5 text-slate-600">{ci.owner}</td>
              <td className="px-4 py-2.5">
                <CriticalityBadge criticality={ci.criticality} />
              </td>
              <td className="px-4 py-2.5">
                <ExposureBadge exposure={ci.exposure} />
              </td>
              <td className="px-4 py-2.5">
                <div className="flex flex-wrap gap-1">
                  {ci.tags.length ? ci.tags.map((t) => <Badge key={t}>{t}</Badge>) : <span className="text-slate-500">None</span>}
                </div>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <NextPage path="/admin/cis" keep={{ q }} after={after} nextCursor={nextCursor} />
    </>
  );
}
