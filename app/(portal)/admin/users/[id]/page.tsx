import type { Metadata } from "next";
import { parseAdminDetailParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AccountStatusForm } from "@/components/admin/account-status-form";
import { ResetPasswordForm } from "@/components/admin/reset-password-form";
import { RoleRequestDecision } from "@/components/admin/role-request-decision";
import { RoleRequestForm } from "@/components/admin/role-request-form";
import { UserRoleToggle } from "@/components/admin/user-role-toggle";
import { Badge } from "@/components/ui/badge";
import { PageHeader } from "@/components/ui/page-header";
import { needsSecondAdmin } from "@/lib/domain/role-grants";
import { ROLE_LABELS, ROLES } from "@/lib/domain/roles";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listRoleGrantRequests } from "@/lib/server/users/list-role-grant-requests";
import { getUser } from "@/lib/server/users/list-users";
import { listSessionsOf } from "@/lib/server/users/user-sessions";
import { EndSessionForm } from "@/components/sessions/end-session-form";
import { SessionTable } from "@/components/sessions/session-table";
import {
  approveRoleRequestAction,
  changeRoleAction,
  endUserSessionsAction,
  refuseRoleRequestAction,
  requestRoleAction,
  resetPasswordAction,
  setActiveAction,
  withdrawRoleRequestAction,
} from "../actions";

export const metadata: Metadata = { title: "User" };

export default async function UserPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Params> }) {
  const actor = await requirePage("/admin/users");
  const { id } = await params;
  const user = await getUser(actor, id);
  if (!user) notFound();
  const { created } = parseAdminDetailParams(await searchParams);
  const { pending } = await listRoleGrantRequests(actor, { userId: user.id });
  const pendingRoles = new Set<string>(pending.map((r) => r.role));
  const mayRequest = user.id !== actor.id && user.active;
  const requestable = ROLES.filter((role) => needsSecondAdmin(role) && !user.roles.includes(role) && !pendingRoles.has(role));
  const sessions = await listSessionsOf(actor, user.id);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/users" className="text-indigo-700 hover:underline">
          ← All users
        </Link>
      </p>
      <PageHeader
        title={user.name}
        description={user.email}
        actions={user.active ? <Badge tone="good">Active</Badge> : <Badge tone="bad">Deactivated</Badge>}
      />
      {created ? (
        <p role="status" className="mb-6 rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-800 ring-1 ring-emerald-200">
          User created. Give them the temporary password; they must choose their own at first sign-in.
        </p>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <section aria-labelledby="roles-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
          <h2 id="roles-heading" className="font-semibold">
            Roles
          </h2>
          <ul className="mt-2 divide-y divide-slate-100">
            {ROLES.map((role) => (
              <UserRoleToggle
                key={role}
                action={changeRoleAction}
                userId={user.id}
                role={role}
                label={ROLE_LABELS[role]}
                held={user.roles.includes(role)}
                requestNote={
                  needsSecondAdmin(role)
                    ? pendingRoles.has(role)
                      ? "Requested: awaiting a second admin"
                      : mayRequest
                        ? "Granted by two admins: request it below"
                        : "Granted by two admins"
                    : undefined
                }
              />
            ))}
          </ul>
          {pending.length > 0 ? (
            <div className="mt-4 border-t border-slate-100 pt-4">
              <h3 className="text-sm font-semibold">Pending role requests</h3>
              <ul className="mt-2 space-y-4">
                {pending.map((r) => (
                  <li key={r.id} className="rounded-md bg-slate-50 p-3 text-sm">
                    <p>
                      <span className="font-medium">{ROLE_LABELS[r.role]}</span>, requested by {r.requestedBy.name} on{" "}
                      <time dateTime={r.requestedAt.toISOString()}>{r.requestedAt.toISOString().slice(0, 10)}</time>, expires{" "}
                      <time dateTime={r.expiresAt.toISOString()}>{r.expiresAt.toISOString().slice(0, 10)}</time>
                    </p>
                    <p className="mt-1 text-slate-600">“{r.reason}”</p>
                    <div className="mt-2">
                      <RoleRequestDecision
                        requestId={r.id}
                        what={`${ROLE_LABELS[r.role]} for ${user.name}`}
                        viewer={r.requestedBy.id === actor.id ? "requester" : user.id === actor.id ? "grantee" : "decider"}
                        approve={approveRoleRequestAction}
                        refuse={refuseRoleRequestAction}
                        withdraw={withdrawRoleRequestAction}
                      />
                    </div>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {user.id === actor.id ? (
            <p className="mt-4 border-t border-slate-100 pt-4 text-sm text-slate-500">
              You cannot grant or request a role for yourself; another admin does.
            </p>
          ) : requestable.length > 0 && mayRequest ? (
            <RoleRequestForm
              action={requestRoleAction}
              userId={user.id}
              choices={requestable.map((role) => ({ role, label: ROLE_LABELS[role] }))}
            />
          ) : null}
        </section>
        <div className="space-y-6">
          <section aria-labelledby="status-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="status-heading" className="mb-3 font-semibold">
              Account
            </h2>
            <AccountStatusForm
              action={setActiveAction}
              field="userId"
              consequence="They are signed out at their next request and cannot sign in until an admin reactivates the account. Their history stays."
              id={user.id}
              name={user.name}
              active={user.active}
            />
          </section>
          <section aria-labelledby="password-heading" className="rounded-lg bg-white p-5 ring-1 ring-slate-200">
            <h2 id="password-heading" className="mb-3 font-semibold">
              Password
            </h2>
            <ResetPasswordForm action={resetPasswordAction} userId={user.id} />
          </section>
        </div>
      </div>
      <section aria-labelledby="sessions-heading" className="mt-6 space-y-3">
        <h2 id="sessions-heading" className="font-semibold">
          Sessions
        </h2>
        {user.id === actor.id ? (
          <p className="text-sm text-slate-600">
            These are yours: end them from{" "}
            <Link href="/account/sessions" className="font-medium text-indigo-700 underline">
              Your sessions
            </Link>
            .
          </p>
        ) : (
          <SessionTable sessions={sessions} end={endUserSessionsAction} fields={{ userId: user.id }} label="Their sessions" whose="their" />
        )}
        {user.id === actor.id || sessions.length === 0 ? null : (
          <EndSessionForm
            action={endUserSessionsAction}
            fields={{ userId: user.id }}
            label="End all sessions"
            title={`End all of ${user.name}'s sessions?`}
            body="They are signed out everywhere at their next request and told an admin ended their sessions. They can sign in again; to stop that, deactivate the account."
            confirmLabel="End all sessions"
          />
        )}
      </section>
    </>
  );
}
