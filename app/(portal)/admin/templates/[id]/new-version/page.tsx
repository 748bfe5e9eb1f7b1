import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TemplateForm } from "@/components/templates/template-form";
import { PageHeader } from "@/components/ui/page-header";
import { decideNewVersion } from "@/lib/domain/template-rules";
import { requirePage } from "@/lib/server/auth/current-actor";
import { getTemplate } from "@/lib/server/templates/get-template";
import { searchCisAction } from "../../../cis/actions";
import { newTemplateVersionAction } from "../../actions";

export const metadata: Metadata = { title: "New template version" };

export default async function NewTemplateVersionPage({ params }: { params: Promise<{ id: string }> }) {
  const actor = await requirePage("/admin/templates");
  const { id } = await params;
  const t = await getTemplate(actor, id);
  if (!t) notFound();
  const decision = decideNewVersion(t, t.versions[0]!);
  return (
    <>
      <p className="mb-2 text-sm">
        <Link href={`/admin/templates/${t.id}`} className="text-indigo-700 hover:underline">
          ← Version {t.version} of {t.title}
        </Link>
      </p>
      <PageHeader
        title={`New version of “${t.title}”`}
        description={`Your edits become version ${t.versions[0]!.version + 1}, awaiting approval by someone else. Until it is approved, the current version stays in use.`}
      />
      {decision.allowed ? (
        <div className="max-w-3xl rounded-lg bg-white p-6 ring-1 ring-slate-200">
          <TemplateForm
            action={newTemplateVersionAction}
            search={searchCisAction}
            baseId={t.id}
            cis={t.cis}
            initial={{
              title: t.title,
              description: t.description,
              implementationPlan: t.implementationPlan,
              backoutPlan: t.backoutPlan,
              testPlan: t.testPlan,
              riskCeiling: t.riskCeiling,
            }}
          />
        </div>
      ) : (
        <p role="alert" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 ring-1 ring-amber-200">
          {decision.reason}
        </p>
      )}
    </>
  );
}
