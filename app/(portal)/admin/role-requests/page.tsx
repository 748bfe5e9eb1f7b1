import type { Metadata } from "next";
import Link from "next/link";
import { RoleRequestDecision } from "@/components/admin/role-request-decision";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { ROLE_GRANT_STATUS_LABELS } from "@/lib/domain/role-grants";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listRoleGrantRequests } from "@/lib/server/users/list-role-grant-requests";
import { approveRoleRequestAction, refuseRoleRequestAction, withdrawRoleRequestAction } from "../users/actions";

export const metadata: Metadata = { title: "Role requests" };

const day = (d: Date) => <time dateTime={d.toISOString()}>{d.toISOString().slice(0, 16).replace("T", " ")} UTC</time>;

export default async function RoleRequestsPage() {
  const actor = await requirePage("/admin/users");
  const { pending, recent } = await listRoleGrantRequests(actor);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="text-indigo-700 hover:underline">
          ← All users
        </Link>
      </p>
      <PageHeader
        title="Role requests"
        description="Admin, change manager, CAB member and security reviewer are granted by two admins: one requests, another approves or refuses. Nobody decides a request they made or one for themselves."
      />
      <section aria-labelledby="pending-heading" className="space-y-3">
        <h2 id="pending-heading" className="font-semibold">
          Awaiting a second admin
        </h2>
        {pending.length === 0 ? (
          <EmptyState>No role request awaits a decision. Request a privileged role on a user&apos;s page.</EmptyState>
        ) : (
          <ul className="space-y-3">
            {pending.map((r) => (
              <li key={r.id} className="grid gap-4 rounded-lg bg-white p-5 ring-1 ring-slate-200 md:grid-cols-2">
                <div className="space-y-1 text-sm">
                  <p className="text-base font-medium">
                    {ROLE_LABELS[r.role]} for{" "}
                    <Link href={`/admin/users/${r.user.id}`} className="text-indigo-700 underline">
                      {r.user.name}
                    </Link>
                  </p>
                  <p className="text-slate-600">
                    Requested by {r.requestedBy.name}, {day(r.requestedAt)}; expires {day(r.expiresAt)}
                  </p>
                  <p className="text-slate-800">“{r.reason}”</p>
                </div>
                <RoleRequestDecision
                  requestId={r.id}
                  what={`${ROLE_LABELS[r.role]} for ${r.user.name}`}
                  viewer={r.requestedBy.id === actor.id ? "requester" : r.user.id === actor.id ? "grantee" : "decider"}
                  approve={approveRoleRequestAction}
                  refuse={refuseRoleRequestAction}
                  withdraw={withdrawRoleRequestAction}
                />
              </li>
            ))}
          </ul>
        )}
      </section>
      {recent.length > 0 ? (
        <section aria-labelledby="recent-heading" className="mt-8 space-y-3">
          <h2 id="recent-heading" className="font-semibold">
            Recently decided
          </h2>
          <ul className="divide-y divide-slate-100 rounded-lg bg-white ring-1 ring-slate-200">
            {recent.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-5 py-3 text-sm">
                <span>
                  {ROLE_LABELS[r.role]} for {r.user.name}, requested by {r.requestedBy.name}
                  {r.decidedBy && r.status !== "withdrawn" ? `, ${r.status} by ${r.decidedBy.name}` : ""}
                  {r.decisionReason ? `: “${r.decisionReason}”` : ""}
                </span>
                <Badge tone={r.status === "approved" ? "good" : r.status === "refused" ? "bad" : "neutral"}>
                  {ROLE_GRANT_STATUS_LABELS[r.status]}
                </Badge>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
