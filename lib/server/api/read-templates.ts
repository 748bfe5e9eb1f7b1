import "server-only";
import { ok, refuseAs, type Result } from "@/lib/domain/result";
import { encodeTimeCursor } from "@/lib/domain/search-params";
import type { Actor } from "../auth/current-actor";
import { getTemplate } from "../templates/get-template";
import { listTemplates } from "../templates/list-templates";
import { encodeApiCursor } from "./api-cursor";
import { pageRead } from "./api-pages";
import type { TemplateDetailResource, TemplateListItem, TemplateListQuery } from "./template-schemas";

// The API's reads of templates: the template pages' reads, for the roles those pages admit.

const APPROVERS_ONLY = "Only admins and change managers can read templates.";
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

/** One page of template versions, newest first, as the template list filters them. */
export async function listTemplatesForApi(
  actor: Actor,
  query: TemplateListQuery,
): Promise<Result<{ items: TemplateListItem[]; nextCursor: string | null }>> {
  const after = query.cursor ? encodeTimeCursor(query.cursor.at, query.cursor.id) : undefined;
  const read = await pageRead(
    () => listTemplates(actor, { query: query.q, status: query.status, after, limit: query.limit }),
    APPROVERS_ONLY,
  );
  if (!read.ok) return read;
  const { rows, nextCursor } = read.value;
  const last = rows.at(-1);
  return ok({
    items: rows.map((t) => ({
      id: t.id,
      title: t.title,
      version: t.version,
      status: t.status,
      riskCeiling: t.riskCeiling as TemplateListItem["riskCeiling"],
      createdAt: iso(t.createdAt),
      proposedBy: { name: t.proposedBy.name },
      approvedBy: t.approvedBy ? { name: t.approvedBy.name } : null,
      ciCount: t._count.cis,
    })),
    nextCursor: nextCursor && last ? encodeApiCursor(last.createdAt, last.id) : null,
  });
}

/** One template version with its CIs and its family's other versions. */
export async function getTemplateForApi(actor: Actor, input: { id: string }): Promise<Result<TemplateDetailResource>> {
  const read = await pageRead(() => getTemplate(actor, input.id), APPROVERS_ONLY);
  if (!read.ok) return read;
  const t = read.value;
  if (!t) return refuseAs("not_found", "There is no such template.");
  return ok({
    ...t,
    riskCeiling: t.riskCeiling as TemplateDetailResource["riskCeiling"],
    createdAt: iso(t.createdAt),
    approvedAt: isoOrNull(t.approvedAt),
    retiredAt: isoOrNull(t.retiredAt),
    versions: t.versions.map((v) => ({ ...v, createdAt: iso(v.createdAt) })),
  });
}
