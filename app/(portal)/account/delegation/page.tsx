import type { Metadata } from "next";
import Link from "next/link";
import { DelegationForm } from "@/components/delegations/delegation-form";
import { DelegationTable } from "@/components/delegations/delegation-table";
import { EmptyState } from "@/components/ui/data-table";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { MAX_DELEGATION_DAYS } from "@/lib/domain/delegation";
import { requirePage } from "@/lib/server/auth/current-actor";
import { canDelegate, listDelegateCandidates, listOwnDelegations } from "@/lib/server/delegations/list-delegations";
import { createDelegationAction, endDelegationAction } from "./actions";

export const metadata: Metadata = { title: "Delegation" };

export default async function DelegationPage() {
  const actor = await requirePage("/account/delegation");
  const mayDelegate = canDelegate(actor.roles);
  const [{ given, held }, people] = await Promise.all([listOwnDelegations(actor.id), mayDelegate ? listDelegateCandidates(actor.id) : []]);
  const now = new Date();
  const initial = { startsAt: now.toISOString(), endsAt: new Date(now.getTime() + 7 * 86_400_000).toISOString() };
  return (
    <>
      <PageHeader
        title="Delegation"
        description={`Away? Name a delegate who votes for you (up to ${MAX_DELEGATION_DAYS} days). Each of their votes is checked per change against the same segregation-of-duties rules, recorded as cast on your behalf, and counts once, as yours.`}
      />
      <div className="space-y-6">
        <Section title="Name a delegate">
          {mayDelegate ? (
            <div className="max-w-2xl">
              <DelegationForm action={createDelegationAction} people={people} initial={initial} />
            </div>
          ) : (
            <p className="text-sm text-slate-600">Only CAB members and security reviewers name a delegate for their votes.</p>
          )}
        </Section>
        <Section title="Delegations you gave">
          {given.length === 0 ? (
            <EmptyState>You have not named a delegate.</EmptyState>
          ) : (
            <DelegationTable rows={given} label="Delegations you gave" endAction={endDelegationAction} />
          )}
        </Section>
        <Section title="Delegations you hold">
          {held.length === 0 ? (
            <EmptyState>Nobody has named you their delegate.</EmptyState>
          ) : (
            <>
              <p className="mb-3 text-sm text-slate-600">
                The changes you can vote on for them are in{" "}
                <Link href="/cab" className="text-indigo-700 underline">
                  the CAB queue
                </Link>
                .
              </p>
              <DelegationTable rows={held} label="Delegations you hold" endAction={endDelegationAction} endLabel="Decline" />
            </>
          )}
        </Section>
      </div>
    </>
  );
}
