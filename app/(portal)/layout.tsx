import Link from "next/link";
import { NavLinks } from "@/components/shell/nav-links";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { navigationFor } from "@/lib/domain/navigation";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requireActor } from "@/lib/server/auth/current-actor";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const items = navigationFor(actor.roles);
  const sections = [...new Set(items.map((i) => i.section))];
  const groups = [
    { section: "Portal", items: [{ href: "/", label: "Home" }] },
    ...sections.map((section) => ({ section, items: items.filter((i) => i.section === section).map(({ href, label }) => ({ href, label })) })),
  ];
  return (
    <div className="min-h-screen">
      <header className="bg-slate-900 text-white">
        <div className="mx-auto flex max-w-7xl items-center justify-between gap-4 px-4 py-3">
          <Link href="/" className="font-semibold tracking-tight">
            Change control
          </Link>
          <div className="flex items-center gap-4">
            <div className="text-right text-sm leading-tight">
              <p className="font-medium" data-testid="signed-in-user">{actor.name}</p>
              <p className="text-xs text-slate-300">{actor.roles.map((r) => ROLE_LABELS[r]).join(" · ") || "No roles"}</p>
            </div>
            <SignOutButton />
          </div>
        </div>
      </header>
      <div className="mx-auto flex max-w-7xl gap-8 px-4 py-6">
        <aside className="w-56 shrink-0">
          <NavLinks groups={groups} />
        </aside>
        <main className="min-w-0 flex-1">{children}</main>
      </div>
    </div>
  );
}
