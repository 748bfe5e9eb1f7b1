import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ChangeForm } from "@/components/changes/change-form";
import { PageHeader } from "@/components/ui/page-header";
import { searchCisAction } from "@/app/(portal)/admin/cis/actions";
import { changeReference } from "@/lib/domain/change-visibility";
import { decideEdit } from "@/lib/domain/decide-edit";
import { partyOf } from "@/lib/domain/segregation-of-duties";
import { requireActor } from "@/lib/server/auth/current-actor";
import { pageChangeFacts } from "@/lib/server/changes/load-change-facts";
import { changeFormInitial } from "@/lib/server/changes/change-form-initial";
import { changeFormOptions } from "@/lib/server/changes/change-form-options";
import { getChangeForViewer } from "@/lib/server/changes/get-change";
import { HIDDEN } from "@/lib/server/auth/viewer-read";
import { updateChangeAction } from "../../actions";

export const metadata: Metadata = { title: "Edit change" };

export default async function EditChangePage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requireActor();
  const { id } = await params;
  const change = await getChangeForViewer(actor, id);
  if (!change) notFound();
  // The change page answers a change this viewer may not open (403).
  if (change === HIDDEN) redirect(`/changes/${id}`);
  const facts = await pageChangeFacts(change);
  const artifactsOnly = !decideEdit(facts, actor, []).allowed;
  if (artifactsOnly && !decideEdit(facts, actor, ["artifacts"]).allowed) redirect(`/changes/${change.id}`);
  const description = artifactsOnly
    ? "The change is authorized for exactly its artifacts: a different set sends it back for assessment and a new approval round."
    : change.state === "draft"
      ? "If someone else saved in the meantime, you are told and keep what you typed."
      : partyOf(facts, actor.id)
        ? "You requested or implement this change: you may correct its wording, but its type, flags, configuration items and window are for another change manager."
        : "Reclassifying during assessment scores the risk again and updates the checklist.";
  const { templates, frameworks } = await changeFormOptions();
  return (
    <>
      <PageHeader title={`Edit ${changeReference(change.number)}`} description={description} />
      <ChangeForm
        searchCis={searchCisAction}
        action={updateChangeAction}
        templates={templates}
        frameworks={frameworks}
        initial={{
          ...changeFormInitial(change),
          artifactsOnly,
          recordsBackoutTest: actor.id !== change.requesterId,
          backoutTestedNote:
            change.backoutTestedBy && change.backoutTestedAt
              ? `Backout test recorded by ${change.backoutTestedBy.name} on ${change.backoutTestedAt.toISOString().slice(0, 16).replace("T", " ")} UTC.`
              : undefined,
        }}
        submitLabel={artifactsOnly ? "Save artifacts" : "Save draft"}
      />
    </>
  );
}
