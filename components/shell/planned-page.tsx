import { PageHeader } from "@/components/ui/page-header";
import { navItem } from "@/lib/domain/navigation";

/** Stands in for a page a later release builds; says in one line what it will hold. */
export function PlannedPage({ href }: { href: string }) {
  const item = navItem(href);
  return (
    <>
      <PageHeader title={item.label} description={item.purpose} />
      <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">
        This page is not built yet. It will hold: {item.purpose.charAt(0).toLowerCase() + item.purpose.slice(1)}
      </div>
    </>
  );
}
