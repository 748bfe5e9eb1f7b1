import type { Metadata } from "next";
import { parseInboxParams } from "@/lib/domain/queue-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { MarkReadForm } from "@/components/notifications/mark-read-form";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { NOTIFICATION_KIND_LABELS, type NotificationKind } from "@/lib/domain/notification-kinds";
import { formatUtc } from "@/lib/domain/utc-time";
import { requireActor } from "@/lib/server/auth/current-actor";
import { listNotifications, unreadCount } from "@/lib/server/notifications/notification-inbox";
import { markReadAction } from "./actions";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({ searchParams }: { searchParams: Promise<Params> }) {
  // Every signed-in user has an inbox; the shell's sweep has already added what is due.
  const actor = await requireActor();
  const { after } = parseInboxParams(await searchParams);
  const [{ rows, nextCursor }, unread] = await Promise.all([listNotifications(actor.id, after), unreadCount(actor.id)]);
  return (
    <>
      <PageHeader
        title="Notifications"
        description="What awaits you: votes, sign-offs, freeze exceptions, implementations due, overdue reviews; and decisions on your changes. Stored, so other channels can deliver them later."
        actions={unread > 0 ? <MarkReadForm action={markReadAction} label="Mark all read" /> : undefined}
      />
      {rows.length === 0 ? (
        <EmptyState>No notifications yet. You are told here when a change needs you or one of yours is decided.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
          {rows.map((n) => (
            <li
              key={n.id}
              className={`flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm ${n.readAt || n.withdrawnAt ? "" : "bg-indigo-50/50"}`}
            >
              <div className="min-w-0">
                <p className="flex items-center gap-2">
                  <Badge tone={n.readAt || n.withdrawnAt ? "neutral" : "info"}>
                    {NOTIFICATION_KIND_LABELS[n.kind as NotificationKind] ?? n.kind}
                  </Badge>
                  {n.withdrawnAt ? (
                    <span className="text-xs font-semibold text-slate-600">Withdrawn: the approval round closed, nothing to do</span>
                  ) : n.readAt ? null : (
                    <span className="text-xs font-semibold text-indigo-700">Unread</span>
                  )}
                  <span className="text-xs text-slate-500">{formatUtc(n.createdAt)}</span>
                </p>
                <p className="mt-1 text-slate-900">
                  {n.changeId ? (
                    <Link href={`/changes/${n.changeId}`} className="hover:underline">
                      {n.message}
                    </Link>
                  ) : (
                    n.message
                  )}
                </p>
              </div>
              {n.readAt || n.withdrawnAt ? null : <MarkReadForm action={markReadAction} id={n.id} label="Mark read" />}
            </li>
          ))}
        </ul>
      )}
      <NextPage path="/notifications" after={after} nextCursor={nextCursor} />
    </>
  );
}
