import "server-only";
import { isUuid } from "@/lib/domain/is-uuid";
import { isTemplateApprover, type TemplateStatus } from "@/lib/domain/template-rules";
import type { Actor } from "../auth/current-actor";
import { refuseReadUnless } from "../auth/viewer-read";
import { db } from "../db/db";
import type { CiOption } from "../cis/search-cis";

export type TemplateDetail = {
  id: string;
  familyId: string;
  version: number;
  status: TemplateStatus;
  title: string;
  description: string;
  implementationPlan: string;
  backoutPlan: string;
  testPlan: string;
  riskCeiling: string;
  createdAt: Date;
  approvedAt: Date | null;
  retiredAt: Date | null;
  proposedBy: { id: string; name: string };
  approvedBy: { id: string; name: string } | null;
  cis: CiOption[];
  versions: { id: string; version: number; status: TemplateStatus; createdAt: Date }[];
};

const CI = { select: { id: true, name: true, environment: true, criticality: true, exposure: true } } as const;

/** One template version with its CIs and the other versions of its family; for those who approve templates (403 otherwise). */
export async function getTemplate(viewer: Actor, id: string): Promise<TemplateDetail | null> {
  await refuseReadUnless(viewer, isTemplateApprover(viewer.roles), "templates");
  return isUuid(id) ? readTemplate(id) : null;
}

async function readTemplate(id: string): Promise<TemplateDetail | null> {
  const t = await db().changeTemplate.findUnique({
    where: { id },
    select: {
      id: true,
      familyId: true,
      version: true,
      status: true,
      title: true,
      description: true,
      implementationPlan: true,
      backoutPlan: true,
      testPlan: true,
      riskCeiling: true,
      createdAt: true,
      approvedAt: true,
      retiredAt: true,
      proposedBy: { select: { id: true, name: true } },
      approvedBy: { select: { id: true, name: true } },
      cis: { select: { ci: CI }, orderBy: { ci: { name: "asc" } } },
    },
  });
  if (!t) return null;
  const versions = await db().changeTemplate.findMany({
    where: { familyId: t.familyId },
    orderBy: { version: "desc" },
    take: 50,
    select: { id: true, version: true, status: true, createdAt: true },
  });
  return { ...t, cis: t.cis.map((c) => c.ci), versions };
}

/** For a change that names a template: the version, only if it is approved (usable). */
export async function getUsableTemplate(id: string): Promise<TemplateDetail | null> {
  const t = await readTemplate(id);
  return t?.status === "approved" ? t : null;
}
