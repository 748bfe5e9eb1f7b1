import type { Metadata } from "next";
import Link from "next/link";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listSsoUsers } from "@/lib/server/auth/list-sso-users";
import { passwordSignInPolicy, ssoConfig, type SsoConfig } from "@/lib/server/auth/sso-config";
import { env } from "@/lib/server/env";
import { SecondFactorPolicyForm } from "@/components/admin/second-factor-policy-form";
import { loadSecondFactorPolicy } from "@/lib/server/auth/second-factor-policy";
import { saveSecondFactorPolicyAction } from "./actions";

export const metadata: Metadata = { title: "Single sign-on" };

const utc = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function readConfig(): { config: SsoConfig | null; problem?: string } {
  try {
    return { config: ssoConfig() };
  } catch (error) {
    return { config: null, problem: (error as Error).message };
  }
}

export default async function SsoPage() {
  const actor = await requirePage("/admin/sso");
  const { config, problem } = readConfig();
  const passwords = passwordSignInPolicy();
  const users = await listSsoUsers(actor);
  const redirectUrl = `${env().NEXTAUTH_URL.replace(/\/+$/, "")}/api/auth/callback/oidc`;
  const settings: [string, string][] = config
    ? [
        ["Issuer (OIDC_ISSUER)", config.issuer],
        ["Client id (OIDC_CLIENT_ID)", config.clientId],
        ["Scopes (OIDC_SCOPES)", config.scopes],
        ["Groups claim (OIDC_ROLE_CLAIM)", config.roleClaim],
        ["Redirect URL to register at the provider", redirectUrl],
      ]
    : [];
  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="Read-only: set by the environment (README, Single sign-on). Roles of SSO users follow their groups at each sign-in; a user deactivated here stays refused whatever the identity provider says."
      />
      <section aria-labelledby="sso-provider" className="mb-8 space-y-3">
        <h2 id="sso-provider" className="text-lg font-semibold">
          Identity provider
        </h2>
        {problem ? <p className="rounded-md bg-rose-50 px-3 py-2 text-sm text-rose-800 ring-1 ring-rose-200">{problem}</p> : null}
        {config ? (
          <dl className="grid gap-x-6 gap-y-2 rounded-lg bg-white p-4 text-sm ring-1 ring-slate-200 sm:grid-cols-[max-content_1fr]">
            {settings.map(([term, value]) => (
              <div key={term} className="contents">
                <dt className="font-medium text-slate-600">{term}</dt>
                <dd className="break-all font-mono">{value}</dd>
              </div>
            ))}
          </dl>
        ) : problem ? null : (
          <EmptyState>Single sign-on is not configured: OIDC_ISSUER is unset, so everyone signs in with a password.</EmptyState>
        )}
        <p className="text-sm text-slate-700" data-testid="password-policy">
          {passwords.enabled
            ? "Password sign-in is on for everyone (PASSWORD_SIGN_IN=on)."
            : `Password sign-in is off (PASSWORD_SIGN_IN=off) except for the break-glass admins: ${passwords.breakGlass.join(", ") || "none"}. Each of their password sign-ins is audited and notified to the other admins.`}
        </p>
      </section>

      <section aria-labelledby="second-factor" className="mb-8 space-y-3">
        <h2 id="second-factor" className="text-lg font-semibold">
          Second factor for approvers
        </h2>
        <p className="text-sm text-slate-700">
          When required, change managers, CAB members, security reviewers and admins approve only after a second factor: their authenticator
          app (Two-step sign-in, under Account), or an SSO sign-in whose ID token names one in <code>amr</code> or <code>acr</code>{" "}
          (OIDC_MFA_AMR: {env().OIDC_MFA_AMR}). Approvals also need an authentication no older than {env().STEP_UP_MINUTES} minutes
          (STEP_UP_MINUTES).
        </p>
        <SecondFactorPolicyForm action={saveSecondFactorPolicyAction} policy={await loadSecondFactorPolicy()} />
      </section>

      <section aria-labelledby="sso-roles" className="mb-8 space-y-3">
        <h2 id="sso-roles" className="text-lg font-semibold">
          Groups and the roles they give
        </h2>
        {!config ? null : config.roleMap === null ? (
          <EmptyState>OIDC_ROLE_MAP is unset: the roles of SSO users are granted in the portal (Users), not by their groups.</EmptyState>
        ) : (
          <DataTable headers={["Group (claim " + config.roleClaim + ")", "Roles"]} label="Groups and roles">
            {[...config.roleMap].map(([group, roles]) => (
              <tr key={group}>
                <td className="px-4 py-2 font-mono">{group}</td>
                <td className="px-4 py-2">{roles.map((r) => ROLE_LABELS[r]).join(", ")}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <section aria-labelledby="sso-users" className="space-y-3">
        <h2 id="sso-users" className="text-lg font-semibold">
          Users who came from SSO
        </h2>
        {users.rows.length === 0 ? (
          <EmptyState>Nobody has signed in through SSO yet.</EmptyState>
        ) : (
          <DataTable headers={["User", "Subject", "Roles", "Last SSO sign-in", "Status"]} label="Users from SSO">
            {users.rows.map((u) => (
              <tr key={u.id}>
                <td className="px-4 py-2">
                  <Link href={`/admin/users/${u.id}`} className="font-medium text-indigo-700 underline">
                    {u.name}
                  </Link>
                  <span className="block text-slate-600">{u.email}</span>
                </td>
                <td className="px-4 py-2 font-mono text-xs">{u.subject}</td>
                <td className="px-4 py-2">{u.roles.map((r) => ROLE_LABELS[r]).join(", ") || "none"}</td>
                <td className="px-4 py-2">{u.ssoSignedInAt ? utc(u.ssoSignedInAt) : "never"}</td>
                <td className="px-4 py-2">{u.active ? "active" : "deactivated"}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {users.more ? <p className="text-sm text-slate-600">The 200 most recent are shown; find others on Users.</p> : null}
      </section>
    </>
  );
}
