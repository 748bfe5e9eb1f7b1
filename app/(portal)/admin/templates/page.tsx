import type { Metadata } from "next";
import { SearchButton } from "@/components/ui/search-button";
import Form from "next/form";
import { parseTemplateListParams } from "@/lib/domain/admin-list-params";
import type { Params } from "@/lib/domain/search-params";
import Link from "next/link";
import { TemplateStatusBadge } from "@/components/templates/template-status-badge";
import { buttonStyles } from "@/components/ui/button-styles";
import { PageHeader } from "@/components/ui/page-header";
import { can } from "@/lib/domain/capabilities";
import { RISK_LEVEL_LABELS, isRiskLevel } from "@/lib/domain/risk-levels";
import { TEMPLATE_STATUS_LABELS, TEMPLATE_STATUSES, type TemplateStatus } from "@/lib/domain/template-rules";
import { listTemplates } from "@/lib/server/templates/list-templates";
import { requireTemplatePage } from "@/lib/server/templates/require-template-page";
import { DataTable, EmptyState } from "@/components/ui/data-table";
import { NextPage } from "@/components/ui/next-page";

export const metadata: Metadata = { title: "Templates" };

export default async function TemplatesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const actor = await requireTemplatePage();
  const { q, after, status } = parseTemplateListParams(await searchParams);
  const { rows, nextCursor } = await listTemplates(actor, { query: q, status, after });
  const params = (extra: Record<string, string | undefined>) => {
    const p = new URLSearchParams(Object.entries({ q, status, ...extra }).filter((e): e is [string, string] => Boolean(e[1])));
    return p.size ? `?${p}` : "";
  };
  const tabs: { label: string; value?: TemplateStatus }[] = [
    { label: "All" },
    ...TEMPLATE_STATUSES.map((s) => ({ label: TEMPLATE_STATUS_LABELS[s], value: s })),
  ];
  return (
    <>
      <PageHeader
        title="Templates"
        description="The standard change catalogue. A template is proposed, then approved by someone else; editing an approved template proposes a new version that needs approval again. Only approved versions can be used."
        actions={
          can(actor.roles, "config.manage") ? (
            <Link href="/admin/templates/new" className={buttonStyles.primary}>
              Propose template
            </Link>
          ) : undefined
        }
      />
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <nav aria-label="Status" className="flex gap-1">
          {tabs.map((t) => (
            <Link
              key={t.label}
              href={`/admin/templates${params({ status: t.value, after: undefined })}`}
              aria-current={status === t.value ? "page" : undefined}
              className={`rounded-md px-3 py-1.5 text-sm ${status === t.value ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"}`}
            >
              {t.label}
            </Link>
          ))}
        </nav>
        <Form action="/admin/templates" className="flex gap-2" role="search">
          {status ? <input type="hidden" name="status" value={status} /> : null}
          <label htmlFor="template-search" className="sr-only">
            Search templates
          </label>
          <input
            id="template-search"
            name="q"
            defaultValue={q}
            placeholder="Search by title"
            className="w-64 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          />
          <SearchButton>Search</SearchButton>
        </Form>
      </div>
      {rows.length === 0 ? (
        <EmptyState>
          {q ? (
            <>
              No template matches “{q}”.{" "}
              <Link href={status ? `/admin/templates?status=${status}` : "/admin/templates"} className="text-indigo-700 underline">
                Clear the search
              </Link>
              .
            </>
          ) : status ? (
            <>
              No template is {TEMPLATE_STATUS_LABELS[status].toLowerCase()}.{" "}
              <Link href="/admin/templates" className="text-indigo-700 underline">
                See every template
              </Link>
              .
            </>
          ) : (
            <>
              No templates yet.{" "}
              <Link href="/admin/templates/new" className="text-indigo-700 underline">
                Propose one
              </Link>{" "}
              for a change your teams repeat often and safely.
            </>
          )}
        </EmptyState>
      ) : (
        <DataTable headers={["Title", "Version", "Status", "Risk ceiling", "CIs", "Proposed by", "Approved by"]}>
          {rows.map((t) => (
            <tr key={t.id} className="hover:bg-slate-50">
              <td className="px-4 py-2.5 font-medium">
                <Link href={`/admin/templates/${t.id}`} className="text-indigo-700 hover:underline">
                  {t.title}
                </Link>
              </td>
              <td className="px-4 py-2.5 text-slate-600">v{t.version}</td>
              <td className="px-4 py-2.5">
                <TemplateStatusBadge status={t.status} />
              </td>
              <td className="px-4 py-2.5 text-slate-600">
                {isRiskLevel(t.riskCeiling) ? RISK_LEVEL_LABELS[t.riskCeiling] : t.riskCeiling}
              </td>
              <td className="px-4 py-2.5 text-slate-600">{t._count.cis}</td>
              <td className="px-4 py-2.5 text-slate-600">{t.proposedBy.name}</td>
              <td className="px-4 py-2.5 text-slate-600">{t.approvedBy?.name ?? <span className="text-slate-500">—</span>}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <NextPage path="/admin/templates" keep={{ q, status }} after={after} nextCursor={nextCursor} />
    </>
  );
}
