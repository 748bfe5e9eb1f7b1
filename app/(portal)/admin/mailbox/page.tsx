import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";
import { PageHeader } from "@/components/ui/page-header";
import { parseMailboxParams } from "@/lib/domain/admin-list-params";
import { MAILBOX_RETENTION_DAYS } from "@/lib/domain/dev-mailbox";
import type { Params } from "@/lib/domain/search-params";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listMailbox } from "@/lib/server/deliveries/list-deliveries";

export const metadata: Metadata = { title: "Dev mailbox" };

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default async function MailboxPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/admin/mailbox");
  const params = parseMailboxParams(await searchParams);
  const { rows: mails, nextCursor } = await listMailbox(actor, { after: params.after });
  return (
    <>
      <PageHeader
        title="Dev mailbox"
        description={`No SMTP server is configured (SMTP_URL), so the portal's mails are delivered here instead: what each person would have received, as they would have read it. Mails are kept ${MAILBOX_RETENTION_DAYS} days.`}
      />
      {mails.length === 0 ? (
        <EmptyState>No mail yet.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {mails.map((m) => (
            <li key={m.id} className="rounded-lg bg-white ring-1 ring-slate-200" data-testid="mailbox-message">
              <details>
                <summary className="cursor-pointer px-4 py-3">
                  <span className="font-medium">{m.subject}</span>
                  <span className="block text-sm text-slate-600">
                    To {m.target}
                    {m.sentAt ? ` · ${utc(m.sentAt)}` : ""}
                  </span>
                </summary>
                <div className="space-y-3 border-t border-slate-200 px-4 py-3">
                  <p className="text-xs text-slate-500">
                    Message-ID <code>{m.messageKey}</code>
                    {m.changeId ? (
                      <>
                        {" · "}
                        <Link href={`/changes/${m.changeId}`} className="text-indigo-700 underline">
                          open the change
                        </Link>
                      </>
                    ) : null}
                  </p>
                  <pre className="overflow-x-auto whitespace-pre-wrap text-sm" data-testid="mailbox-text">
                    {m.bodyText}
                  </pre>
                  {/* The HTML part as a mail client shows it; sandboxed, so nothing in it runs. */}
                  <iframe
                    title={`HTML of: ${m.subject}`}
                    sandbox=""
                    srcDoc={m.bodyHtml}
                    className="h-48 w-full rounded ring-1 ring-slate-200"
                  />
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      <NextPage path="/admin/mailbox" after={params.after} nextCursor={nextCursor} />
    </>
  );
}
