import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ChangeForm } from "@/components/changes/change-form";
import { PageHeader } from "@/components/ui/page-header";
import { searchCisAction } from "@/app/(portal)/admin/cis/actions";
import { changeReference } from "@/lib/domain/change-visibility";
import { requirePage } from "@/lib/server/auth/current-actor";
import { changeFormInitial } from "@/lib/server/changes/change-form-initial";
import { changeFormOptions } from "@/lib/server/changes/change-form-options";
import { getChange } from "@/lib/server/changes/get-change";
import { updateChangeAction } from "../../actions";
import { isUuid } from "@/lib/domain/is-uuid";

export const metadata: Metadata = { title: "Edit change" };

export default async function EditChangePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("/changes/new");
  const { id } = await params;
  const change = isUuid(id) ? await getChange(id) : null;
  if (!change || change.requesterId !== actor.id) notFound();
  if (change.state !== "draft") redirect(`/changes/${change.id}`);
  const { templates, frameworks } = await changeFormOptions();
  return (
    <>
      <PageHeader title={`Edit ${changeReference(change.number)}`} description="Only a draft can be edited. If someone else saved in the meantime, you are told and keep what you typed." />
      <ChangeForm searchCis={searchCisAction} action={updateChangeAction} templates={templates} frameworks={frameworks} initial={changeFormInitial(change)} submitLabel="Save draft" />
    </>
  );
}
