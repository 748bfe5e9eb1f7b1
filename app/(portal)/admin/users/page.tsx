import type { Metadata } from "next";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requirePage } from "@/lib/server/auth/current-actor";
import { parseUserListParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import { listUsers } from "@/lib/server/users/list-users";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requirePage("/admin/users");
  const { q, after } = parseUserListParams(await searchParams);
  const { rows, nextCursor } = await listUsers(actor, { query: q, after });
  return (
    <>
      <PageHeader
        title="Users"
        description="Who can sign in and what their roles let them do. Role changes and deactivations take effect at the user's next request."
        actions={
          <>
            <Link href="/admin/role-requests" className={buttonStyles.secondary}>
              Role requests
            </Link>
            <Link href="/admin/users/new" className={buttonStyles.primary}>
              New user
            </Link>
          </>
        }
      />
      <Form action="/admin/users" className="mb-4 flex gap-2" role="search">
        <label htmlFor="user-search" className="sr-only">
          Search users
        </label>
        <input
          id="user-search"
          name="q"
          defaultValue={q}
          placeholder="Search by name or email"
          className="w-72 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
        />
        <SearchButton>Search</SearchButton>
        {q ? (
          <Link href="/admin/users" className={buttonStyles.secondary}>
            Clear
          </Link>
        ) : null}
      </Form>
      {rows.length === 0 ? (
        <EmptyState>
          {q ? (
            <>
              No user matches “{q}”.{" "}
              <Link href="/admin/users" className="text-indigo-700 underline">
                Clear the search
              </Link>
              , or{" "}
              <Link href="/admin/users/new" className="text-indigo-700 underline">
                create the user
              </Link>
              .
            </>
          ) : (
            <>
              No users yet.{" "}
              <Link href="/admin/users/new" className="text-indigo-700 underline">
                Create the first user
              </Link>
              .
            </>
          )}
        </EmptyState>
      ) : (
        <DataTable headers={["Name", "Email", "Roles", "Status"]}>
          {rows.map((user) => (
            <tr key={user.id} className="hover:bg-slate-50">
              <td className="px-4 py-2.5 font-medium">
                <Link href={`/admin/users/${user.id}`} className="text-indigo-700 hover:underline">
                  {user.name}
                </Link>
              </td>
              <td className="px-4 py-2.5 text-slate-600">{user.email}</td>
              <td className="px-4 py-2.5">
                <div className="flex flex-wrap gap-1">
                  {user.roles.length ? (
                    user.roles.map((r) => (
                      <Badge key={r} tone="info">
                        {ROLE_LABELS[r]}
                      </Badge>
                    ))
                  ) : (
                    <span className="text-slate-500">None</span>
                  )}
                </div>
              </td>
              <td className="px-4 py-2.5">
                {user.active ? <Badge tone="good">Active</Badge> : <Badge tone="bad">Deactivated</Badge>}
                {user.mustChangePassword ? (
                  <span className="ml-1">
                    <Badge tone="warn">Temporary password</Badge>
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <NextPage path="/admin/users" keep={{ q }} after={after} nextCursor={nextCursor} />
    </>
  );
}
