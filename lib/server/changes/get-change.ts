import "server-only";
import { canViewChange, type ChangeViewer } from "@/lib/domain/change-visibility";
import { isUuid } from "@/lib/domain/is-uuid";
import { HIDDEN, type ViewerRead } from "../auth/viewer-read";
import type { Prisma } from "../db/generated/client";
import { db } from "../db/db";

// Everything a change's panels show but its comments, which the change page reads a page at a time.
const PAGE_INCLUDE = {
  requester: { select: { id: true, name: true, email: true } },
  implementer: { select: { id: true, name: true, email: true } },
  template: { select: { id: true, title: true, version: true, status: true, riskCeiling: true, cis: { select: { ciId: true } } } },
  cis: {
    select: { ciId: true, ci: { select: { id: true, name: true, environment: true, criticality: true, exposure: true } } },
    orderBy: { ci: { name: "asc" } },
  },
  cves: { orderBy: { cveId: "asc" } },
  artifacts: { orderBy: [{ name: "asc" }, { digest: "asc" }] },
  backoutTestedBy: { select: { id: true, name: true } },
  checklist: { orderBy: { key: "asc" }, include: { signedBy: { select: { name: true } } } },
  votes: {
    orderBy: { castAt: "asc" },
    include: { voter: { select: { name: true } }, onBehalfOf: { select: { name: true } }, round: { select: { number: true } } },
  },
  review: { include: { reviewedBy: { select: { name: true } } } },
  freezeException: {
    include: {
      requestedBy: { select: { name: true } },
      managerApprover: { select: { name: true } },
      securityApprover: { select: { name: true } },
    },
  },
} satisfies Prisma.ChangeRequestInclude;

function readChangeForPage(id: string) {
  return db().changeRequest.findUnique({ where: { id }, include: PAGE_INCLUDE });
}

/**
 * The change page: the change and its panels' relations in one statement (relationJoins), comments
 * apart; null when there is no such change, HIDDEN when the viewer may not open it (the page's 403).
 */
export async function getChangeForViewer(viewer: ChangeViewer, id: string): Promise<ViewerRead<ChangePageDetail>> {
  const change = isUuid(id) ? await readChangeForPage(id) : null;
  if (!change) return null;
  return canViewChange(viewer, change) ? change : HIDDEN;
}

/** Everything about a change, every comment included (the auditor's evidence record, which checks its reader). */
export async function getChange(id: string) {
  return db().changeRequest.findUnique({
    where: { id },
    include: { ...PAGE_INCLUDE, comments: { orderBy: { createdAt: "asc" }, include: { author: { select: { name: true } } } } },
  });
}

/** What the change page's panels read; a full ChangeDetail is one too. */
export type ChangePageDetail = NonNullable<Awaited<ReturnType<typeof readChangeForPage>>>;
export type ChangeDetail = NonNullable<Awaited<ReturnType<typeof getChange>>>;
