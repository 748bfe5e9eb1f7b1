import type { Metadata } from "next";
import { DelegationTable } from "@/components/delegations/delegation-table";
import { EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { requirePage } from "@/lib/server/auth/current-actor";
import { listAllDelegations } from "@/lib/server/delegations/list-delegations";
import { endDelegationAction } from "../../account/delegation/actions";

export const metadata: Metadata = { title: "Delegations" };

export default async function AdminDelegationsPage() {
  const actor = await requirePage("/admin/delegations");
  const { current, past } = await listAllDelegations(actor);
  return (
    <>
      <PageHeader
        title="Delegations"
        description="Who votes for whom while away. Creating, using and ending a delegation are audit events; an admin can end one (for instance when someone leaves)."
      />
      <div className="space-y-6">
        <Section title="Current and upcoming">
          {current.length === 0 ? (
            <EmptyState>No delegation is running or planned.</EmptyState>
          ) : (
            <DelegationTable rows={current} label="Current and upcoming delegations" endAction={endDelegationAction} />
          )}
        </Section>
        <Section title="Past">
          {past.length === 0 ? <EmptyState>No past delegations.</EmptyState> : <DelegationTable rows={past} label="Past delegations" />}
        </Section>
      </div>
    </>
  );
}
