import "server-only";
import { likeText } from "@/lib/domain/contains-pattern";
import type { RiskLevel } from "@/lib/domain/risk-levels";
import { cleanText, decodeTimeCursor } from "@/lib/domain/search-params";
import { isTemplateApprover, type TemplateStatus } from "@/lib/domain/template-rules";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnless } from "../auth/viewer-read";
import { db } from "../db/db";

export const TEMPLATES_PAGE_SIZE = 25;

export type TemplateRow = {
  id: string;
  title: string;
  version: number;
  status: TemplateStatus;
  riskCeiling: string;
  createdAt: Date;
  proposedBy: { name: string };
  approvedBy: { name: string } | null;
  _count: { cis: number };
};

/** One page of template versions, newest first (keyset), by status and title; for those who approve templates (403 otherwise). `limit`: the API's page size. */
export async function listTemplates(
  viewer: Actor,
  options: { status?: TemplateStatus; query?: string; after?: string; limit?: number },
): Promise<{ rows: TemplateRow[]; nextCursor: string | null }> {
  await refuseReadUnless(viewer, isTemplateApprover(viewer.roles), "templates");
  const q = options.query ? cleanText(options.query) : undefined;
  const size = options.limit ?? TEMPLATES_PAGE_SIZE;
  // The cursor is the last row's createdAt and id: newest first, ties broken by id.
  const cursor = decodeTimeCursor(options.after);
  const rows = await db().changeTemplate.findMany({
    where: {
      ...(options.status ? { status: options.status } : {}),
      ...(q ? { title: { contains: likeText(q), mode: "insensitive" as const } } : {}),
      ...(cursor ? { OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
    select: {
      id: true,
      title: true,
      version: true,
      status: true,
      riskCeiling: true,
      createdAt: true,
      proposedBy: { select: { name: true } },
      approvedBy: { select: { name: true } },
      _count: { select: { cis: true } },
    },
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > size && last ? `${last.createdAt.toISOString()}_${last.id}` : null };
}

export type UsableTemplate = { id: string; title: string; version: number; riskCeiling: RiskLevel };

/** For the new-change form's template picker: only approved versions can be used. */
export async function listUsableTemplates(query?: string, limit = 20): Promise<UsableTemplate[]> {
  const q = query?.trim();
  return db().changeTemplate.findMany({
    where: { status: "approved", ...(q ? { title: { contains: likeText(q), mode: "insensitive" as const } } : {}) },
    orderBy: [{ title: "asc" }, { id: "asc" }],
    take: Math.min(Math.max(Math.trunc(limit) || 20, 1), 100),
    select: { id: true, title: true, version: true, riskCeiling: true },
  });
}
