import Link from "next/link";
import { NavLinks } from "@/components/shell/nav-links";
import { NavMenu, NavMenuButton, NavMenuPanel } from "@/components/shell/nav-menu";
import { SignOutButton } from "@/components/shell/sign-out-button";
import { SkipLink } from "@/components/shell/skip-link";
import { navigationFor } from "@/lib/domain/navigation";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requireActor } from "@/lib/server/auth/current-actor";
import { unreadCount } from "@/lib/server/notifications/notification-inbox";
import { sweepNotifications } from "@/lib/server/notifications/sweep-notifications";

const NAV_ID = "main-navigation";

export default async function PortalLayout({ children }: { children: React.ReactNode }) {
  const actor = await requireActor();
  const items = navigationFor(actor.roles);
  // Time-based notifications (implementation due, review overdue) are made on read, for this person.
  await sweepNotifications(actor);
  const unread = await unreadCount(actor.id);
  const sections = [...new Set(items.map((i) => i.section))];
  const groups = [
    { section: "Portal", items: [{ href: "/", label: "Home" }] },
    ...sections.map((section) => ({
      section,
      items: items.filter((i) => i.section === section).map(({ href, label }) => ({ href, label })),
    })),
  ];
  const roles = actor.roles.map((r) => ROLE_LABELS[r]).join(" · ") || "No roles";
  return (
    <NavMenu>
      <SkipLink />
      <header className="bg-slate-900 text-white">
        {/* One row from md up; on a phone the person and their account links take a second row. */}
        <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-2 gap-y-2 px-4 py-3 sm:gap-x-3 md:flex-nowrap md:gap-x-4">
          <NavMenuButton controls={NAV_ID} />
          <Link href="/" className="mr-auto shrink-0 whitespace-nowrap rounded-md text-sm font-semibold tracking-tight sm:text-base">
            Change control
          </Link>
          <Link href="/notifications" className="shrink-0 rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-800">
            Notifications
            {unread ? (
              <span data-testid="unread-count" className="ml-1.5 rounded-full bg-rose-700 px-1.5 py-0.5 text-xs font-semibold text-white">
                {unread > 99 ? "99+" : unread}
                <span className="sr-only"> unread</span>
              </span>
            ) : null}
          </Link>
          <div className="flex w-full min-w-0 items-center justify-between gap-3 border-t border-slate-700 pt-2 md:w-auto md:justify-end md:border-0 md:pt-0">
            <div className="min-w-0 text-sm leading-tight md:text-right">
              <p className="truncate font-medium" data-testid="signed-in-user">
                {actor.name}
              </p>
              <p className="text-xs text-slate-300 md:truncate" title={roles}>
                {roles}
              </p>
            </div>
            <div className="flex shrink-0 items-center gap-2 md:gap-4">
              <Link href="/account/password" className="rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-800">
                Account
              </Link>
              <Link href="/account/tokens" className="whitespace-nowrap rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-800">
                API tokens
              </Link>
              <Link href="/account/mail" className="rounded-md px-2 py-1 text-sm text-slate-200 hover:bg-slate-800">
                Mail
              </Link>
              <SignOutButton />
            </div>
          </div>
        </div>
      </header>
      <div className="mx-auto max-w-7xl px-4 py-6 lg:flex lg:gap-8">
        <NavMenuPanel id={NAV_ID}>
          <NavLinks groups={groups} />
        </NavMenuPanel>
        <main id="main" tabIndex={-1} className="min-w-0 flex-1 focus:outline-none">
          {children}
        </main>
      </div>
    </NavMenu>
  );
}
