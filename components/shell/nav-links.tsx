"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

type Group = { section: string; items: { href: string; label: string }[] };

export function NavLinks({ groups }: { groups: Group[] }) {
  const pathname = usePathname();
  // The most specific matching entry is current, so /changes/new does not also light up /changes.
  const current = groups
    .flatMap((g) => g.items)
    .filter((i) => (i.href === "/" ? pathname === "/" : pathname === i.href || pathname.startsWith(`${i.href}/`)))
    .sort((a, b) => b.href.length - a.href.length)[0]?.href;
  return (
    <nav aria-label="Main" className="grid gap-5 sm:grid-cols-2 lg:block lg:space-y-5">
      {groups.map((group) => (
        <div key={group.section}>
          <p className="px-3 text-xs font-semibold uppercase tracking-wider text-slate-600">{group.section}</p>
          <ul className="mt-1.5 space-y-0.5">
            {group.items.map((item) => (
              <li key={item.href}>
                <Link
                  href={item.href}
                  aria-current={item.href === current ? "page" : undefined}
                  className={`block rounded-md px-3 py-1.5 text-sm ${
                    item.href === current ? "bg-indigo-50 font-medium text-indigo-700" : "text-slate-700 hover:bg-slate-100"
                  }`}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
