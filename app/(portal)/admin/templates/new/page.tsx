import type { Metadata } from "next";
import Link from "next/link";
import { TemplateForm } from "@/components/templates/template-form";
import { PageHeader } from "@/components/ui/page-header";
import { requirePage } from "@/lib/server/auth/current-actor";
import { searchCisAction } from "../../cis/actions";
import { proposeTemplateAction } from "../actions";

export const metadata: Metadata = { title: "Propose template" };

export default async function NewTemplatePage() {
  await requirePage("/admin/templates");
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href="/admin/templates" className="text-indigo-700 hover:underline">
          ← All templates
        </Link>
      </p>
      <PageHeader
        title="Propose template"
        description="A standard change skips assessment and CAB, so the template is its pre-approval: someone other than you must approve it before anyone can use it."
      />
      <div className="max-w-3xl rounded-lg bg-white p-6 ring-1 ring-slate-200">
        <TemplateForm action={proposeTemplateAction} search={searchCisAction} />
      </div>
    </>
  );
}
