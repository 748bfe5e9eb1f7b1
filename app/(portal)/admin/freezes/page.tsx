import type { Metadata } from "next";
import { parseFreezeListParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { FreezeForm } from "@/components/schedule/freeze-form";
import { FreezeScopeBadge } from "@/components/schedule/freeze-scope-badge";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { formatUtc } from "@/lib/domain/utc-time";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listFreezes } from "@/lib/server/schedule/list-freezes";
import { createFreezeAction } from "./actions";

export const metadata: Metadata = { title: "Freeze windows" };

const DONE: Record<string, string> = {
  created: "Freeze window created.",
  saved: "Freeze window saved.",
  deleted: "Freeze window removed.",
};

export default async function FreezesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/admin/freezes");
  const params = parseFreezeListParams(await searchParams);
  const past = params.past === "1";
  const { rows, nextCursor } = await listFreezes(actor, { past, after: params.after });
  const done = (["created", "saved", "deleted"] as const).find((k) => params[k]);
  return (
    <>
      <PageHeader
        title="Freeze windows"
        description="No change is scheduled inside a freeze unless it is an emergency or has a freeze exception approved by a change manager and a security reviewer. Major changes never are. Maintenance windows are set per configuration item."
        actions={
          <Link href={past ? "/admin/freezes" : "/admin/freezes?past=1"} className="text-sm text-indigo-700 hover:underline">
            {past ? "Hide ended freezes" : "Show ended freezes too"}
          </Link>
        }
      />
      {done ? (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          {DONE[done]}
        </p>
      ) : null}
      <div className="grid gap-6 xl:grid-cols-[1fr_24rem]">
        <div className="min-w-0">
          {rows.length === 0 ? (
            <EmptyState>
              {past ? "No freeze window has been declared." : "No freeze is current or planned. Declare one with the form."}
            </EmptyState>
          ) : (
            <DataTable headers={["Reason", "Starts", "Ends", "Covers", "Declared by"]}>
              {rows.map((f) => (
                <tr key={f.id}>
                  <td className="px-4 py-2.5">
                    <Link href={`/admin/freezes/${f.id}`} className="font-medium text-indigo-700 hover:underline">
                      {f.reason}
                    </Link>
                  </td>
                  <td className="whitespace-nowrap px-4 py-2.5">{formatUtc(f.startsAt)}</td>
                  <td className="whitespace-nowrap px-4 py-2.5">{formatUtc(f.endsAt)}</td>
                  <td className="px-4 py-2.5">
                    <FreezeScopeBadge scope={f.scope} environments={f.environments} tags={f.tags} />
                  </td>
                  <td className="px-4 py-2.5 text-slate-600">{f.createdBy.name}</td>
                </tr>
              ))}
            </DataTable>
          )}
          <NextPage path="/admin/freezes" keep={{ past: past ? "1" : undefined }} after={params.after} nextCursor={nextCursor} />
        </div>
        <Section title="Declare a freeze">
          <FreezeForm action={createFreezeAction} />
        </Section>
      </div>
    </>
  );
}
