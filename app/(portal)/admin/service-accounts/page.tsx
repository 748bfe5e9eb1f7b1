import type { Metadata } from "next";
import { ServiceAccountForm } from "@/components/api-tokens/service-account-form";
import { AccountStatusForm } from "@/components/admin/account-status-form";
import { TokenForm } from "@/components/api-tokens/token-form";
import { TokenTable } from "@/components/api-tokens/token-table";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { ROLE_LABELS } from "@/lib/domain/roles";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listServiceAccounts } from "@/lib/server/api-tokens/list-tokens";
import {
  createServiceAccountAction,
  issueServiceAccountTokenAction,
  revokeServiceAccountTokenAction,
  setServiceAccountActiveAction,
} from "./actions";

export const metadata: Metadata = { title: "Service accounts" };

export default async function ServiceAccountsPage() {
  await requirePage("/admin/service-accounts");
  const accounts = await listServiceAccounts();
  const now = new Date();
  return (
    <>
      <PageHeader
        title="Service accounts"
        description="Accounts for pipelines and bots, used through /api/v1 with their tokens. They never sign in, vote, sign off, waive or approve."
      />
      <div className="space-y-6">
        {accounts.length === 0 ? <EmptyState>No service accounts yet. Create one below.</EmptyState> : null}
        {accounts.map((account) => (
          <Section key={account.id} id={`sa-${account.id}`} title={account.name}>
            <div className="space-y-4">
              <div className="flex flex-wrap items-center gap-2 text-sm">
                {account.active ? <Badge tone="good">Active</Badge> : <Badge tone="bad">Deactivated</Badge>}
                {account.roles.map((r) => (
                  <Badge key={r} tone="info">
                    {ROLE_LABELS[r]}
                  </Badge>
                ))}
                <span className="text-slate-600">{account.email}</span>
                <div className="ml-auto">
                  <AccountStatusForm
                    action={setServiceAccountActiveAction}
                    field="serviceAccountId"
                    consequence="Every token it holds is refused from its next request until an admin reactivates it. Its history stays."
                    id={account.id}
                    name={account.name}
                    active={account.active}
                  />
                </div>
              </div>
              <TokenTable tokens={account.tokens} revoke={revokeServiceAccountTokenAction} label={`Tokens of ${account.name}`} now={now} />
              {account.active ? (
                <details className="rounded-md ring-1 ring-slate-200">
                  <summary className="cursor-pointer px-3 py-2 text-sm font-medium text-indigo-700">Issue a token</summary>
                  <div className="max-w-2xl p-3">
                    <TokenForm action={issueServiceAccountTokenAction} serviceAccountId={account.id} />
                  </div>
                </details>
              ) : null}
            </div>
          </Section>
        ))}
        <Section title="New service account">
          <div className="max-w-xl">
            <ServiceAccountForm action={createServiceAccountAction} />
          </div>
        </Section>
      </div>
    </>
  );
}
