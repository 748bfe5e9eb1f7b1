import type { Metadata } from "next";
import { PageHeader } from "@/components/ui/page-header";
import { requireActor } from "@/lib/server/auth/current-actor";
import { pingDatabase } from "@/lib/server/db/ping-database";

export const metadata: Metadata = { title: "Bench floor" };

/**
 * The benchmark's floor (npm run bench): the cheapest authenticated, server-rendered page of
 * this app, in the same layout as every other page, with one trivial query. Pages are measured
 * against it. It shows nothing but that the database answered, to any signed-in user.
 */
export default async function BenchFloorPage() {
  await requireActor();
  const answered = await pingDatabase();
  return (
    <>
      <PageHeader title="Bench floor" description="The cheapest signed-in page, used as the floor of the performance benchmark." />
      <p className="text-sm text-slate-700">{answered ? "The database answered." : "The database did not answer."}</p>
    </>
  );
}
