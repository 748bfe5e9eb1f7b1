import type { Metadata } from "next";
import { ChangeForm } from "@/components/changes/change-form";
import { PageHeader } from "@/components/ui/page-header";
import { searchCisAction } from "@/app/(portal)/admin/cis/actions";
import { requirePage } from "@/lib/server/auth/current-actor";
import { changeFormOptions } from "@/lib/server/changes/change-form-options";
import { createChangeAction } from "../actions";

export const metadata: Metadata = { title: "New change" };

export default async function NewChangePage() {
  await requirePage("/changes/new");
  const { templates, frameworks } = await changeFormOptions();
  return (
    <>
      <PageHeader
        title="New change"
        description="Saved as a draft you can complete and submit when it is ready. Submitting checks that everything the change type needs is there."
      />
      <ChangeForm
        searchCis={searchCisAction}
        action={createChangeAction}
        templates={templates}
        frameworks={frameworks}
        initial={{ values: { type: "normal" }, cis: [] }}
        submitLabel="Save draft"
      />
    </>
  );
}
