import Link from "next/link";
import { PageHeader } from "@/components/ui/page-header";
import { navigationFor } from "@/lib/domain/navigation";
import { requireActor } from "@/lib/server/auth/current-actor";

export default async function HomePage() {
  const actor = await requireActor();
  const items = navigationFor(actor.roles);
  return (
    <>
      <PageHeader title={`Welcome, ${actor.name}`} description="The pages your roles give you. Each says what it is for." />
      {items.length === 0 ? (
        <p className="rounded-lg bg-white p-6 text-sm text-slate-600 ring-1 ring-slate-200">
          Your account has no roles yet, so there is nothing here for you. Ask an admin to grant you the role you need.
        </p>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
          {items.map((item) => (
            <li key={item.href}>
              <Link href={item.href} className="block h-full rounded-lg bg-white p-4 ring-1 ring-slate-200 hover:ring-indigo-300">
                <p className="text-xs font-semibold uppercase tracking-wider text-slate-600">{item.section}</p>
                <p className="mt-1 font-medium text-slate-900">{item.label}</p>
                <p className="mt-1 text-sm text-slate-600">{item.purpose}</p>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
