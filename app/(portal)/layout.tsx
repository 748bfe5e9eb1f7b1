import Link from "next/link";
import { NavLinks } from "@/components/shell/nav-links";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { navigationFor } from "@/lib/domain/navigation";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requireActor } from "@/lib/server/auth/current-actor";
import { unreadCount } from "@/lib/server/notifications/notification-inbox";
import { sweepNotifications } from "@/lib/server/notifications/sweep-notifications";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const items = navigationFor(actor.roles);
  // Time-based notifications (implementation due, review overdue) are made on read, for this person.
  await sweepNotifications(actor);
  const unread = await unreadCount(actor.id);
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
            <Link href="/notifications" className="relative rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-800" aria-label={unread ? `Notifications, ${unread} unread` : "Notifications"}>
              Notifications
              {unread ? <span data-testid="unread-count" className="ml-1.5 rounded-full bg-rose-500 px-1.5 py-0.5 text-xs font-semibold text-white">{unread > 99 ? "99+" : unread}</span> : null}
            </Link>
            <div className="text-right text-sm leading-tight">
              <p className="font-medium" data-testid="signed-in-user">{actor.name}</p>
              <p className="text-xs text-slate-300">{actor.roles.map((r) => ROLE_LABELS[r]).join(" · ") || "No roles"}</p>
            </div>
            <Link href="/account/password" className="rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-800">
              Account
            </Link>
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
