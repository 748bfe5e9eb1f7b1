import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ConfirmForm } from "@/components/schedule/confirm-form";
import { FreezeForm } from "@/components/schedule/freeze-form";
import { PageHeader } from "@/components/ui/page-header";
import { Section } from "@/components/ui/section";
import { formatUtcRange } from "@/lib/domain/utc-time";
import { requirePage } from "@/lib/server/auth/current-actor";
import { getFreeze } from "@/lib/server/schedule/list-freezes";
import { deleteFreezeAction, updateFreezeAction } from "../actions";

export const metadata: Metadata = { title: "Freeze window" };

export default async function FreezePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("/admin/freezes");
  const { id } = await params;
  const freeze = await getFreeze(actor, id);
  if (!freeze) notFound();
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/freezes" className="text-indigo-700 hover:underline">
          ← All freeze windows
        </Link>
      </p>
      <PageHeader
        title={freeze.reason}
        description={`${formatUtcRange(freeze.startsAt, freeze.endsAt)} · declared by ${freeze.createdBy.name}`}
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <Section title="Edit">
          <FreezeForm
            action={updateFreezeAction}
            edit={{ id: freeze.id, updatedAt: freeze.updatedAt.toISOString() }}
            initial={{
              startsAt: freeze.startsAt.toISOString(),
              endsAt: freeze.endsAt.toISOString(),
              reason: freeze.reason,
              scope: freeze.scope,
              environments: freeze.environments.join(", "),
              tags: freeze.tags.join(", "),
            }}
          />
        </Section>
        <Section title="Remove">
          <p className="mb-3 text-sm text-slate-600">Changes planned inside it are no longer blocked. The audit log keeps what it was.</p>
          <ConfirmForm
            action={deleteFreezeAction}
            hidden={{ id: freeze.id }}
            label="Remove freeze window"
            title={`Remove the freeze "${freeze.reason}"?`}
            body="Changes planned in this window can then be scheduled without a freeze exception."
            confirmLabel="Remove"
          />
        </Section>
      </div>
    </>
  );
}
